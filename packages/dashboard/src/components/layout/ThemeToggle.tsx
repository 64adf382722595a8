import { useThemeChoice, type ThemeChoice } from '../../app/theme';
import { Icon } from '../ui/Icon';

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const ICON = { system: 'auto', light: 'sun', dark: 'moon' } as const;

/** Cycles system → light → dark; "system" follows prefers-color-scheme. */
export function ThemeToggle() {
  const [choice, setChoice] = useThemeChoice();
  return (
    <button
      type="button"
      className="btn btn-icon btn-ghost"
      onClick={() => setChoice(NEXT[choice])}
      aria-label={`Theme: ${choice}. Switch to ${NEXT[choice]}`}
      title={`Theme: ${choice}`}
      data-testid="theme-toggle"
      data-theme-choice={choice}
    >
      <Icon name={ICON[choice]} />
    </button>
  );
}
