/** Every architecture's backend, registered under its canonical name. */
import { registerBackend } from './backends.js';
import { x86Backend } from './x86/syntax.js';
import { aarch64Backend } from './aarch64/syntax.js';
import { armBackend } from './arm/syntax.js';

registerBackend('i386', (o) => x86Backend('i386', { nasmForms: o.flat === true }));
registerBackend('x86_64', (o) => x86Backend('x86_64', { nasmForms: o.flat === true }));
registerBackend('aarch64', () => aarch64Backend());
registerBackend('arm', (o) => armBackend({ isa: o.isa ?? 'v6', thumb: o.thumb ?? false }));

export { backendFor, type BackendOptions } from './backends.js';
