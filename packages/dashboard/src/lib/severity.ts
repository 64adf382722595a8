import type { Priority, Severity } from '@herald/protocol';

// Kept here rather than imported as values from @herald/protocol, whose
// validators (and their schema library) would otherwise ride along in the bundle.
export const SEVERITY_LEVELS: readonly Severity[] = ['debug', 'info', 'success', 'warning', 'error', 'critical'];
export const PRIORITY_LEVELS: readonly Priority[] = ['low', 'normal', 'high', 'critical'];

export const SEVERITY_LABEL: Record<Severity, string> = {
  debug: 'Debug',
  info: 'Info',
  success: 'Success',
  warning: 'Warning',
  error: 'Error',
  critical: 'Critical',
};

/** Chart colours per severity; the CSS uses the same hues through `--sev-*` variables. */
export const SEVERITY_COLOR: Record<Severity, string> = {
  debug: '#8a8f7a',
  info: '#4f7cac',
  success: '#5b8c3a',
  warning: '#c9922e',
  error: '#c4523f',
  critical: '#8e2a4f',
};

export const PRIORITY_COLOR: Record<Priority, string> = {
  low: '#9aa58a',
  normal: '#6b8e23',
  high: '#c9922e',
  critical: '#c4523f',
};
