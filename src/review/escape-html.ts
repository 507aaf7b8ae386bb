// Every text that reaches the review page from a manifest (ids, prompts, paths, subject names, API
// messages) goes through here: `<script>` in a prompt must show as text and run nothing. The same
// escaping serves element text and double-quoted attribute values.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

/**
 * A root-relative POSIX path as a URL path relative to the page's folder, each segment
 * percent-encoded (so `#`, `?`, `%` or a space in a file name cannot change what is loaded).
 */
export function encodePathSegments(path: string): string {
  return path
    .split('/')
    .map((segment) => (segment === '..' || segment === '.' ? segment : encodeURIComponent(segment)))
    .join('/');
}
