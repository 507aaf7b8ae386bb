import { describe, expect, it } from 'vitest';
import { createRemoteGate } from '../../../src/submitter/remote-gate.js';
import type { FromSubmitter } from '../../../src/submitter/protocol.js';

// The submitter's side of the shared gate (issue 14 item 3): each create attempt asks the build for a
// permit and reports its answer; once the build is gone, nothing waits for a pacer that no longer exists.

describe('createRemoteGate', () => {
  it('asks the build for each permit, and reports answers and 429s with their Retry-After', async () => {
    const sent: FromSubmitter[] = [];
    const gate = createRemoteGate((message) => (sent.push(message), true), () => 7);
    const waiting = gate.acquire(undefined, 'create');
    expect(sent).toEqual([{ type: 'acquire', id: 1 }]);
    gate.receive({ type: 'permit', id: 1, permit: { sentAt: 5, waited: true } });
    const permit = await waiting;
    expect(permit).toEqual({ sentAt: 5, waited: true });
    gate.recordAnswered(permit);
    expect(gate.recordRateLimited(permit, 2000)).toBe(2000);
    gate.recordRateLimited(permit);
    expect(sent.slice(1)).toEqual([
      { type: 'answered', permit },
      { type: 'limited', permit, retryAfterMs: 2000 },
      { type: 'limited', permit },
    ]);
  });

  it('lets every waiter and every later request go at once when the build is gone', async () => {
    const sent: FromSubmitter[] = [];
    const gate = createRemoteGate((message) => (sent.push(message), true), () => 42);
    const waiting = gate.acquire();
    gate.disconnected();
    await expect(waiting).resolves.toEqual({ sentAt: 42, waited: false });
    await expect(gate.acquire()).resolves.toEqual({ sentAt: 42, waited: false });
    gate.recordAnswered({ sentAt: 42, waited: false });
    expect(sent).toEqual([{ type: 'acquire', id: 1 }]);

    // A channel that closed before the gate heard of it: the send fails, the permit comes at once.
    const other = createRemoteGate(() => false, () => 9);
    await expect(other.acquire()).resolves.toEqual({ sentAt: 9, waited: false });
  });
  it("takes a create's first permit from the build unasked, and asks for its retries", async () => {
    const sent: FromSubmitter[] = [];
    const gate = createRemoteGate((message) => (sent.push(message), true), () => 7);
    const first = gate.firstPermitOf(3);
    let resolved = false;
    void first.then(() => (resolved = true));
    await Promise.resolve();
    expect(resolved).toBe(false);
    // Another create's permit does not settle this one.
    gate.receive({ type: 'create-permit', id: 4, permit: { sentAt: 1, waited: false } });
    await Promise.resolve();
    expect(resolved).toBe(false);
    gate.receive({ type: 'create-permit', id: 3, permit: { sentAt: 6, waited: true } });
    await expect(first).resolves.toEqual({ sentAt: 6, waited: true });
    expect(sent).toEqual([]);
    // A retry of the same create asks, as every other attempt does.
    const retry = gate.acquire(undefined, 'create');
    expect(sent).toEqual([{ type: 'acquire', id: 1 }]);
    gate.receive({ type: 'permit', id: 1, permit: { sentAt: 8, waited: false } });
    await expect(retry).resolves.toEqual({ sentAt: 8, waited: false });
  });

  it('lets a first permit still on its way go at once when the build is gone, and later ones too', async () => {
    const gate = createRemoteGate(() => true, () => 42);
    const waiting = gate.firstPermitOf(1);
    gate.disconnected();
    await expect(waiting).resolves.toEqual({ sentAt: 42, waited: false });
    await expect(gate.firstPermitOf(2)).resolves.toEqual({ sentAt: 42, waited: false });
  });
});
