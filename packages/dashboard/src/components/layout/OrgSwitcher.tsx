import { useState } from 'react';
import { useSession } from '../../realtime/session-context';
import { useConnection } from '../../realtime/hooks';

/** The org switcher (context switch): shown only when the token lists more than one org. */
export function OrgSwitcher() {
  const session = useSession();
  const info = useConnection();
  const [error, setError] = useState<string>();
  const orgs = info.welcome?.user.orgs ?? [];
  if (orgs.length < 2) return null;
  const current = info.org ?? info.welcome?.user.org ?? orgs[0];
  return (
    <label className="header-stat">
      <span>Org</span>
      <select
        className="select"
        value={current}
        aria-label="Switch organisation"
        title={error}
        aria-invalid={error ? true : undefined}
        onChange={(e) => {
          setError(undefined);
          session.switchOrg(e.target.value).catch((err: Error) => setError(`Could not switch: ${err.message}`));
        }}
      >
        {orgs.map((org) => (
          <option key={org} value={org}>
            {org}
          </option>
        ))}
      </select>
    </label>
  );
}
