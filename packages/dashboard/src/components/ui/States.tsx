import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

interface StateProps {
  title: string;
  icon?: IconName;
  children?: ReactNode;
  actions?: ReactNode;
}

/** The shared body of the empty and error states. */
function StatePanel({ title, icon, children, actions, className, role }: StateProps & { icon: IconName; className: string; role: 'status' | 'alert' }) {
  return (
    <div className={className} role={role}>
      <div className="state-icon">
        <Icon name={icon} size={24} />
      </div>
      <h3>{title}</h3>
      {children}
      {actions && <div className="state-actions">{actions}</div>}
    </div>
  );
}

/** Nothing to show yet, with what to do about it. */
export function EmptyState({ icon = 'inbox', ...props }: StateProps) {
  return <StatePanel {...props} icon={icon} className="state" role="status" />;
}

/** Something failed, with what to do about it. */
export function ErrorState({ icon = 'alert', ...props }: StateProps) {
  return <StatePanel {...props} icon={icon} className="state state-error" role="alert" />;
}
