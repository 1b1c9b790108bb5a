/** Starts and stops private instances of docker-registry, containerd and dockerd for the tests. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { openSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, run, tempDir, waitFor } from './tools.js';

function stopProcess(p: ChildProcess, ms = 10_000): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => p.kill('SIGKILL'), ms);
    p.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    p.kill('SIGTERM');
  });
}

function logTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

export interface Registry {
  /** host:port on loopback */
  host: string;
  stop: () => Promise<void>;
}

/** docker-registry on 127.0.0.1:<free port>, filesystem storage, optionally htpasswd basic auth. */
export async function startRegistry(opts: { users?: Record<string, string> } = {}): Promise<Registry> {
  const dir = tempDir('registry');
  const port = await freePort();
  let auth = '';
  if (opts.users) {
    const lines = Object.entries(opts.users).map(([u, p]) => run('htpasswd', ['-nbB', u, p]).trim());
    writeFileSync(join(dir.path, 'htpasswd'), `${lines.join('\n')}\n`);
    auth = `auth:\n  htpasswd:\n    realm: tinyelf-test\n    path: ${join(dir.path, 'htpasswd')}\n`;
  }
  const config = join(dir.path, 'config.yml');
  writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir.path, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`,
  );
  const log = join(dir.path, 'registry.log');
  const p = spawn('docker-registry', ['serve', config], { stdio: ['ignore', openSync(log, 'a'), openSync(log, 'a')] });
  const host = `127.0.0.1:${port}`;
  try {
    await waitFor(`docker-registry on ${host}`, async () => {
      if (p.exitCode !== null) throw new Error(`docker-registry exited: ${logTail(log)}`);
      const r = await fetch(`http://${host}/v2/`);
      return r.status === 200 || r.status === 401;
    });
  } catch (e) {
    await stopProcess(p);
    throw new Error(`${(e as Error).message}\n${logTail(log)}`);
  }
  return {
    host,
    stop: async () => {
      await stopProcess(p);
      dir.remove();
    },
  };
}

export interface Docker {
  /** Environment for the docker CLI: DOCKER_HOST on the private socket. */
  env: NodeJS.ProcessEnv;
  docker: (args: string[], timeout?: number) => string;
  /** The ctr CLI on the same private containerd. */
  ctr: (args: string[], timeout?: number) => string;
  stop: () => Promise<void>;
}

/**
 * containerd + dockerd on private sockets and data dirs, with no networking set up (no bridge, no
 * iptables), so it neither needs nor touches the host's docker. Throws with the daemon's log if it
 * cannot start (e.g. no cgroups or overlay support in a sandbox).
 */
export async function startDocker(): Promise<Docker> {
  const dir = tempDir('docker');
  const d = dir.path;
  const ctrLog = join(d, 'containerd.log');
  const dockerLog = join(d, 'dockerd.log');
  const containerd = spawn('containerd', ['--address', join(d, 'containerd.sock'), '--root', join(d, 'containerd-root'), '--state', join(d, 'containerd-state')], {
    stdio: ['ignore', openSync(ctrLog, 'a'), openSync(ctrLog, 'a')],
  });
  const dockerd = spawn(
    'dockerd',
    [
      '--host', `unix://${join(d, 'docker.sock')}`,
      '--containerd', join(d, 'containerd.sock'),
      '--data-root', join(d, 'data'),
      '--exec-root', join(d, 'exec'),
      '--pidfile', join(d, 'docker.pid'),
      '--iptables=false', '--ip6tables=false', '--bridge=none',
    ],
    { stdio: ['ignore', openSync(dockerLog, 'a'), openSync(dockerLog, 'a')] },
  );
  const env = { ...process.env, DOCKER_HOST: `unix://${join(d, 'docker.sock')}`, DOCKER_CONFIG: join(d, 'client') };
  const docker = (args: string[], timeout = 60_000) => run('docker', args, { env, timeout });
  const ctr = (args: string[], timeout = 60_000) => run('ctr', ['--address', join(d, 'containerd.sock'), '--namespace', 'tinyelf', ...args], { timeout });
  const stop = async () => {
    const ids = spawnSync('docker', ['ps', '-aq'], { env, encoding: 'utf8' }).stdout?.split('\n').filter(Boolean) ?? [];
    if (ids.length) spawnSync('docker', ['rm', '-f', ...ids], { env });
    await stopProcess(dockerd, 20_000);
    await stopProcess(containerd);
    // dockerd unmounts its layers on the way out; anything left would make removal fail.
    spawnSync('sh', ['-c', `grep -o ' ${d}[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l`]);
    dir.remove();
  };
  try {
    await waitFor('dockerd', () => {
      if (dockerd.exitCode !== null) throw new Error('dockerd exited');
      return spawnSync('docker', ['version'], { env }).status === 0;
    }, 30_000);
  } catch (e) {
    const why = `${(e as Error).message}\n--- dockerd.log\n${logTail(dockerLog)}\n--- containerd.log\n${logTail(ctrLog)}`;
    await stop().catch(() => undefined);
    throw new Error(`cannot start dockerd here: ${why}`);
  }
  return { env, docker, ctr, stop };
}
