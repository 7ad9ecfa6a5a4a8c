// usePoll ticks while the page is visible, stops when hidden or unmounted.
import { renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { usePoll } from './use-poll';

let visibility: DocumentVisibilityState = 'visible';
const setVisibility = (v: DocumentVisibilityState) => {
  visibility = v;
  document.dispatchEvent(new Event('visibilitychange'));
};

beforeEach(() => {
  vi.useFakeTimers();
  visibility = 'visible';
  vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('usePoll', () => {
  it('ticks every period while visible, pauses while hidden, ticks at once on return', () => {
    const tick = vi.fn();
    renderHook(() => usePoll(tick, 1000));
    vi.advanceTimersByTime(3500);
    expect(tick).toHaveBeenCalledTimes(3);
    setVisibility('hidden');
    vi.advanceTimersByTime(10_000);
    expect(tick).toHaveBeenCalledTimes(3);
    setVisibility('visible');
    expect(tick).toHaveBeenCalledTimes(4);
    vi.advanceTimersByTime(1000);
    expect(tick).toHaveBeenCalledTimes(5);
  });

  it('stops on unmount and when disabled', () => {
    const tick = vi.fn();
    const { unmount } = renderHook(() => usePoll(tick, 1000));
    vi.advanceTimersByTime(1000);
    unmount();
    vi.advanceTimersByTime(5000);
    setVisibility('hidden');
    setVisibility('visible');
    expect(tick).toHaveBeenCalledTimes(1);
    const off = vi.fn();
    renderHook(() => usePoll(off, 1000, false));
    vi.advanceTimersByTime(5000);
    expect(off).not.toHaveBeenCalled();
  });

  it('does not start while the page is hidden', () => {
    visibility = 'hidden';
    const tick = vi.fn();
    renderHook(() => usePoll(tick, 1000));
    vi.advanceTimersByTime(5000);
    expect(tick).not.toHaveBeenCalled();
  });
});
