import { useState, type FormEvent } from 'react';
import { Icon } from '../components/ui/Icon';

/**
 * Shown instead of the dashboard when there is no token or the server
 * refused it: says where a token comes from and takes one.
 */
export function TokenGate({
  reason,
  detail,
  onToken,
}: {
  reason: 'missing' | 'rejected';
  detail?: string;
  onToken: (token: string) => void;
}) {
  const [value, setValue] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (value.trim()) onToken(value.trim());
  };
  const isRejected = reason === 'rejected';
  return (
    <main className="gate">
      <section
        className={`glass gate-card state ${isRejected ? 'state-error' : ''}`}
        aria-labelledby="gate-title"
        data-testid={isRejected ? 'token-rejected' : 'token-missing'}
      >
        <div className="state-icon">
          <Icon name={isRejected ? 'alert' : 'key'} size={24} />
        </div>
        <h2 id="gate-title">{isRejected ? 'Herald did not accept this token' : 'Herald needs an access token'}</h2>
        <p role={isRejected ? 'alert' : undefined}>
          {isRejected
            ? `The token is wrong, expired or lacks permission${detail ? ` (${detail})` : ''}. Get a fresh one:`
            : 'Open the dashboard through the link the server prints, or paste a token here. To get one:'}
        </p>
        <ol>
          <li>
            Start Herald with <code>npm start</code>: it prints the dashboard link with the admin token.
          </li>
          <li>
            The admin token is also stored in <code>./data/admin-token</code> (the server's data folder; <code>HERALD_ADMIN_TOKEN</code>{' '}
            overrides it).
          </li>
          <li>
            For a scoped token: <code>herald token --sub NAME --permission subscribe:*</code>, or an API key from{' '}
            <code>HERALD_API_KEYS</code>.
          </li>
        </ol>
        <form className="gate-form" onSubmit={submit}>
          <label htmlFor="token-input" className="sr-only">
            Access token
          </label>
          <input
            id="token-input"
            className="input"
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="Paste a token"
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
          <button type="submit" className="btn btn-primary" disabled={!value.trim()}>
            Connect
          </button>
        </form>
      </section>
    </main>
  );
}
