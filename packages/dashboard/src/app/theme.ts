import { useEffect, useState } from 'react';
import { readJson, writeJson } from '../lib/storage';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type ResolvedTheme = 'light' | 'dark';

const KEY = 'herald.theme';
const media = () => window.matchMedia('(prefers-color-scheme: dark)');

function resolve(choice: ThemeChoice): ResolvedTheme {
  if (choice !== 'system') return choice;
  return media().matches ? 'dark' : 'light';
}

/** Applies the saved theme before React renders, so the page does not flash the other one. */
export function applyInitialTheme(): void {
  document.documentElement.dataset.theme = resolve(readJson<ThemeChoice>(KEY) ?? 'system');
}

let current: ResolvedTheme = 'light';
const listeners = new Set<(theme: ResolvedTheme) => void>();

function apply(theme: ResolvedTheme) {
  current = theme;
  document.documentElement.dataset.theme = theme;
  for (const l of listeners) l(theme);
}

/** The theme choice (system, light, dark), following the OS setting while on "system". */
export function useThemeChoice() {
  const [choice, setChoice] = useState<ThemeChoice>(() => readJson<ThemeChoice>(KEY) ?? 'system');
  useEffect(() => {
    apply(resolve(choice));
    if (choice !== 'system') return;
    const m = media();
    const onChange = () => apply(resolve('system'));
    m.addEventListener('change', onChange);
    return () => m.removeEventListener('change', onChange);
  }, [choice]);
  const set = (next: ThemeChoice) => {
    writeJson(KEY, next);
    setChoice(next);
  };
  return [choice, set] as const;
}

/** The theme in effect, for code that draws with colours (charts). */
export function useResolvedTheme(): ResolvedTheme {
  const [theme, setTheme] = useState<ResolvedTheme>(() => (document.documentElement.dataset.theme === 'dark' ? 'dark' : current));
  useEffect(() => {
    listeners.add(setTheme);
    return () => {
      listeners.delete(setTheme);
    };
  }, []);
  return theme;
}
