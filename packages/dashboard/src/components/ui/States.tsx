import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

interface StateProps {
  title: string;
  icon?: IconName;
  children?: ReactNode;
  actions?: ReactNode;
}

/** Nothing to show yet, with what to do about it. */
export function EmptyState({ title, icon = 'inbox', children, actions }: StateProps) {
  return (
    <div className="state" role="status">
      <div className="state-icon">
        <Icon name={icon} size={24} />
      </div>
      <h3>{title}</h3>
      {children}
      {actions && <div className="state-actions">{actions}</div>}
    </div>
  );
}

/** Something failed, with what to do about it. */
export function ErrorState({ title, icon = 'alert', children, actions }: StateProps) {
  return (
    <div className="state state-error" role="alert">
      <div className="state-icon">
        <Icon name={icon} size={24} />
      </div>
      <h3>{title}</h3>
      {children}
      {actions && <div className="state-actions">{actions}</div>}
    </div>
  );
}
