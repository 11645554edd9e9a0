import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api.ts';
import { BAND_TEXT, rankText } from './letting-lib.ts';
import type { Chance } from './types.ts';

export interface Notice {
  kind: 'error' | 'success';
  text: string;
  details: string[];
  /** Changes on every notice, so the same text twice still moves focus. */
  key: number;
}

/**
 * The result of an action: an error (role="alert") or a confirmation (role="status"), which takes the
 * focus when it appears so keyboard and screen reader users land on it.
 */
export function useNotice(): {
  notice: Notice | null;
  ref: RefObject<HTMLDivElement | null>;
  success: (text: string) => void;
  failure: (error: unknown) => void;
  clear: () => void;
} {
  const [notice, setNotice] = useState<Notice | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (notice) ref.current?.focus();
  }, [notice]);
  const success = useCallback(
    (text: string) => setNotice({ kind: 'success', text, details: [], key: Date.now() }),
    [],
  );
  const failure = useCallback((error: unknown) => {
    const text = error instanceof Error ? error.message : String(error);
    const details = error instanceof ApiError ? error.details : [];
    setNotice({ kind: 'error', text: capitalise(text), details, key: Date.now() });
  }, []);
  const clear = useCallback(() => setNotice(null), []);
  return { notice, ref, success, failure, clear };
}

const capitalise = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

export function NoticeBox({
  notice,
  noticeRef,
  testId,
}: {
  notice: Notice | null;
  noticeRef: RefObject<HTMLDivElement | null>;
  testId?: string;
}) {
  if (!notice) return null;
  return (
    <div
      key={notice.key}
      ref={noticeRef}
      tabIndex={-1}
      role={notice.kind === 'error' ? 'alert' : 'status'}
      className={notice.kind === 'error' ? 'error' : 'letting-success'}
      data-testid={testId}
    >
      <p>{notice.text}</p>
      {notice.details.length > 0 && (
        <ul>
          {notice.details.map((d) => (
            <li key={d}>{capitalise(d)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** « Chance forte : 2e sur 5 candidats » with a band badge readable without colour. */
export function ChanceText({ chance, ifApplying }: { chance: Chance; ifApplying: boolean }) {
  return (
    <span className="letting-chance">
      <span className={`letting-band letting-band-${chance.band}`}>{BAND_TEXT[chance.band]}</span>{' '}
      {ifApplying ? 'si vous candidatez maintenant : ' : ''}
      {rankText(chance.rank, chance.applicants)}
    </span>
  );
}
