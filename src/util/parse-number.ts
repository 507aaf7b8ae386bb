import { UsageError } from '../errors.js';

// A number from a flag or an environment variable, checked strictly: a typo in --max-seconds or
// --concurrency is a usage error naming where it came from, never a silent default.

export function parseNumber(flag: string, text: string, rules: { integer?: boolean; min?: number; max?: number }): number {
  const value = Number(text);
  const kind = rules.integer ? 'a whole number' : 'a number';
  if (text.trim() === '' || !Number.isFinite(value) || (rules.integer && !Number.isInteger(value))) {
    throw new UsageError(`${flag} must be ${kind}, got "${text}"`);
  }
  if (rules.min !== undefined && value < rules.min) throw new UsageError(`${flag} must be at least ${rules.min}, got ${text}`);
  if (rules.max !== undefined && value > rules.max) throw new UsageError(`${flag} must be at most ${rules.max}, got ${text}`);
  return value;
}
