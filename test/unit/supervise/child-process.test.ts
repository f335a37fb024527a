import { describe, expect, it } from 'vitest';
import type { ChildExit } from '../../../local/dynamodb/server.ts';
import { STOP_SIGNAL_GRACE_MS, superviseChild, type ChildService } from '../../../local/supervise/child-process.ts';

/** A child whose death the test decides; stop() resolves at once. */
function fakeChild(pid: number): ChildService & { die(exit: ChildExit): void } {
  let die!: (exit: ChildExit) => void;
  const exited = new Promise<ChildExit>((resolve) => (die = resolve));
  return { pid, port: 4000, exited, stop: async () => {}, die };
}

function supervised() {
  const lines: string[] = [];
  const first = fakeChild(1);
  let next = 2;
  const supervisor = superviseChild({
    name: 'svc',
    first,
    restart: async () => fakeChild(next++),
    dataNote: 'data kept',
    reprovision: async () => 'ok',
    log: (line) => lines.push(line),
  });
  return { lines, first, supervisor };
}

describe('superviseChild', () => {
  it('restarts a child that died of SIGKILL, saying so in one line', async () => {
    const { lines, first, supervisor } = supervised();
    first.die({ code: null, signal: 'SIGKILL' });
    await new Promise((r) => setTimeout(r, 0));
    await supervisor.whenRunning();
    expect(lines[0]).toBe('svc (pid 1) died (killed by SIGKILL); restarting it on port 4000: data kept');
    expect(supervisor.current().pid).toBe(2);
    await supervisor.stop();
  });

  it('neither reports nor restarts a child that Ctrl-C reached just before the runtime stopped', async () => {
    const { lines, first, supervisor } = supervised();
    first.die({ code: null, signal: 'SIGINT' });
    await supervisor.stop();
    await new Promise((r) => setTimeout(r, STOP_SIGNAL_GRACE_MS + 100));
    expect(lines).toEqual([]);
    expect(supervisor.state()).toBe('stopped');
    expect(supervisor.current().pid).toBe(1);
  });

  it('restarts a child killed by SIGTERM when nothing stops the runtime', async () => {
    const { lines, first, supervisor } = supervised();
    first.die({ code: null, signal: 'SIGTERM' });
    await new Promise((r) => setTimeout(r, STOP_SIGNAL_GRACE_MS + 100));
    await supervisor.whenRunning();
    expect(lines[0]).toContain('died (killed by SIGTERM)');
    expect(supervisor.current().pid).toBe(2);
    await supervisor.stop();
  });
});
