import { ApiError } from '../api.js';

/** An API error in words: the API's own message, plus what to do for the common statuses. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const hint =
      error.status === 401 ? ' Sign in again.' : error.status === 403 ? '' : error.status === 503 ? ' The database is briefly unavailable; try again.' : '';
    return `${error.message}${hint}`;
  }
  if (error instanceof TypeError) return 'The operator API could not be reached (network error). Check your connection and try again.';
  return error instanceof Error ? error.message : String(error);
}

export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div className="pw-error" role="alert">
      {errorText(error)}
    </div>
  );
}
