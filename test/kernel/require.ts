/**
 * Whether a kernel can be booted here: its qemu-system binary is installed and its kernel is in
 * the cache or can be fetched (which this does, once per process), and the run's probe
 * (test/helpers/host.ts) has not been told to deny it. Tests fail on a problem under CI and skip
 * elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { hostProbe } from '../helpers/host.js';
import { VMS, type VmName } from './boot.js';
import { fetchBlocker, fetchKernel } from './kernels.js';

const QEMU_PACKAGE: Record<string, string> = {
  'qemu-system-x86_64': 'qemu-system-x86',
  'qemu-system-i386': 'qemu-system-x86',
  'qemu-system-aarch64': 'qemu-system-arm',
  'qemu-system-arm': 'qemu-system-arm',
};

const problems = new Map<VmName, string | undefined>();

/** Why `vm` cannot be booted here, or undefined when it can (its kernel then is in the cache). */
export function kernelProblem(vm: VmName): string | undefined {
  if (!problems.has(vm)) problems.set(vm, find(vm));
  return problems.get(vm);
}

function find(name: VmName): string | undefined {
  const vm = VMS[name];
  // The run's probe, so that TINYELF_PROBE_DENY=NAME-vm holds here too.
  const probed = hostProbe().vm[name];
  if (!probed.available) return probed.detail;
  if (spawnSync('sh', ['-c', `command -v ${vm.qemu}`]).status !== 0) return `${vm.qemu} is not installed (apt-get install ${QEMU_PACKAGE[vm.qemu]})`;
  const blocker = fetchBlocker(vm.flavour);
  if (blocker) return `no ${vm.flavour} kernel in the cache and ${blocker}`;
  try {
    fetchKernel(vm.flavour);
  } catch (e) {
    return `fetching the ${vm.flavour} kernel failed: ${(e as Error).message}`;
  }
  return undefined;
}
