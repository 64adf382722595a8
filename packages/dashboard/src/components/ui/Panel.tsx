import type { ReactNode } from 'react';

/** A glass card with an optional heading; `labelledBy` ties the region to it for screen readers. */
export function Panel({
  title,
  children,
  className,
  actions,
}: {
  title?: string;
  children: ReactNode;
  className?: string;
  actions?: ReactNode;
}) {
  const id = title ? `panel-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}` : undefined;
  return (
    <section className={['glass', 'panel', className].filter(Boolean).join(' ')} aria-labelledby={id}>
      {(title || actions) && (
        <div className="view-title" style={{ marginBottom: 10 }}>
          {title && (
            <h3 id={id} style={{ margin: 0 }}>
              {title}
            </h3>
          )}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}
