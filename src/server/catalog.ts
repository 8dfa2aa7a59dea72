// What is registered: tools, resources, resource templates and prompts as compiled entries, the
// capabilities they add up to, and the list_changed policy. A change clears what was derived from
// the old catalog (capabilities, shared list pages) and, once serving, tells listeners on the bus.
import { isJsonObject } from '../protocol/jsonrpc.ts';
import type { JsonObject } from '../protocol/jsonrpc.ts';
import type { Era } from '../protocol/revisions.ts';
import type { Bus, ServerEvent } from '../store/store.ts';
import type { CompiledPrompt, CompiledResource, CompiledTemplateEntry, CompiledTool } from './registry.ts';
import type { Report } from './report.ts';
import { TASKS_EXTENSION } from './tasks.ts';

export interface Capabilities extends JsonObject {}

type ListChanged = 'tools/list_changed' | 'resources/list_changed' | 'prompts/list_changed';

export interface Registration {
  remove(): void;
}

export class Catalog {
  readonly #tools = new Map<string, CompiledTool>();
  readonly #resources = new Map<string, CompiledResource>();
  readonly #templates: CompiledTemplateEntry[] = [];
  readonly #prompts = new Map<string, CompiledPrompt>();
  readonly #bus: Bus;
  readonly #report: Report;
  readonly #logging: boolean;
  /** Shared list pages (see lists.ts), cleared on every change. */
  readonly listCache = new Map<string, JsonObject>();
  #capabilities: Partial<Record<Era, Capabilities>> = {};
  #toolList: readonly CompiledTool[] | undefined;
  #promptList: readonly CompiledPrompt[] | undefined;
  #resourceList: readonly CompiledResource[] | undefined;
  #serving = false;

  constructor(bus: Bus, report: Report, logging: boolean) {
    this.#bus = bus;
    this.#report = report;
    this.#logging = logging;
  }

  get tools(): ReadonlyMap<string, CompiledTool> {
    return this.#tools;
  }

  get resources(): ReadonlyMap<string, CompiledResource> {
    return this.#resources;
  }

  get templates(): readonly CompiledTemplateEntry[] {
    return this.#templates;
  }

  get prompts(): ReadonlyMap<string, CompiledPrompt> {
    return this.#prompts;
  }

  /** The list methods' items, in registration order; kept until the next change. */
  toolList(): readonly CompiledTool[] {
    return (this.#toolList ??= [...this.#tools.values()]);
  }

  promptList(): readonly CompiledPrompt[] {
    return (this.#promptList ??= [...this.#prompts.values()]);
  }

  resourceList(): readonly CompiledResource[] {
    return (this.#resourceList ??= [...this.#resources.values()]);
  }

  addTool(tool: CompiledTool): Registration {
    if (this.#tools.has(tool.name)) throw new TypeError(`Tool "${tool.name}" is already registered; tool names must be unique.`);
    this.#tools.set(tool.name, tool);
    return this.#changed('tools/list_changed', () => this.#tools.delete(tool.name));
  }

  addResource(resource: CompiledResource): Registration {
    if (this.#resources.has(resource.uri)) throw new TypeError(`Resource "${resource.uri}" is already registered.`);
    this.#resources.set(resource.uri, resource);
    return this.#changed('resources/list_changed', () => this.#resources.delete(resource.uri));
  }

  addTemplate(entry: CompiledTemplateEntry): Registration {
    this.#templates.push(entry);
    return this.#changed('resources/list_changed', () => this.#templates.splice(this.#templates.indexOf(entry), 1));
  }

  addPrompt(prompt: CompiledPrompt): Registration {
    if (this.#prompts.has(prompt.name)) throw new TypeError(`Prompt "${prompt.name}" is already registered; prompt names must be unique.`);
    this.#prompts.set(prompt.name, prompt);
    return this.#changed('prompts/list_changed', () => this.#prompts.delete(prompt.name));
  }

  /** Called for every request: from the first one on, changes are announced. */
  serving(): void {
    this.#serving = true;
  }

  /** Tells every `subscriptions/listen` stream that asked for it (on every instance sharing the bus). */
  publish(event: ServerEvent): Promise<void> {
    if (event.type !== 'resources/updated') this.listCache.clear();
    return this.#bus.publish(event);
  }

  capabilities(era: Era): Capabilities {
    return (this.#capabilities[era] ??= this.#compute(era));
  }

  #compute(era: Era): Capabilities {
    const caps: Capabilities = {};
    // 2025 lane: there is no GET stream to carry list_changed, so it is not promised there.
    const listChanged = era === 'modern';
    if (this.#tools.size > 0) caps.tools = { listChanged };
    if (this.#prompts.size > 0) caps.prompts = { listChanged };
    if (this.#resources.size > 0 || this.#templates.length > 0) caps.resources = { subscribe: true, listChanged };
    if (this.#prompts.size > 0 || this.#templates.length > 0) caps.completions = {};
    if (this.#logging) caps.logging = {};
    if (era === 'modern' && this.toolList().some((tool) => tool.taskSupport !== 'forbidden')) caps.extensions = { [TASKS_EXTENSION]: {} };
    return caps;
  }

  #changed(event: ListChanged, remove: () => void): Registration {
    this.#listsChanged(event);
    return {
      remove: () => {
        remove();
        this.#listsChanged(event);
      },
    };
  }

  // Registrations at module scope happen on every instance at boot: announcing those would make
  // each cold start ping every listener, so only changes after the first request are published.
  #listsChanged(event: ListChanged): void {
    this.listCache.clear();
    this.#capabilities = {};
    this.#toolList = this.#promptList = this.#resourceList = undefined;
    // Nobody awaits this publish: a bus outage must reach onError, not crash the process.
    if (this.#serving) this.publish({ type: event }).catch((error: unknown) => this.#report(error, event, 0));
  }
}

/** Whether these capabilities offer the tasks extension (2026 only). */
export function offersTasks(caps: Capabilities): boolean {
  return isJsonObject(caps.extensions) && caps.extensions[TASKS_EXTENSION] !== undefined;
}
