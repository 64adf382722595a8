const STORAGE_KEY = 'herald.token';

/**
 * The token the dashboard connects with. The server prints the dashboard URL
 * with the token in the fragment (`/#token=…`), which browsers never send to
 * servers; here it moves to session storage and leaves the address bar, so
 * it does not end up in bookmarks, screenshots or shared links.
 */
export function takeToken(): string | undefined {
  const fromUrl = readFragmentToken(window.location.hash);
  if (fromUrl !== undefined) {
    saveToken(fromUrl);
    const { pathname, search } = window.location;
    window.history.replaceState(window.history.state, '', `${pathname}${search}`);
    return fromUrl;
  }
  return loadToken();
}

function readFragmentToken(hash: string): string | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token')?.trim();
  return token ? token : undefined;
}

export function loadToken(): string | undefined {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function saveToken(token: string): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, token);
  } catch {
    // Storage can be disabled; the token then lasts as long as the page.
  }
}

export function forgetToken(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored
  }
}
