import type {
  AllMiddlewareArgs,
  App,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';
import type { Logger } from '../../logger.js';

type Handler<Args> = (args: Args & AllMiddlewareArgs) => Promise<unknown>;
type Key = string | RegExp;

/** Handlers by exact id (a map lookup), then by pattern, in the order they were registered. */
class Table<Args> {
  private readonly exact = new Map<string, Handler<Args>>();
  private readonly patterns: [RegExp, Handler<Args>][] = [];

  add(key: Key, handler: Handler<Args>): void {
    if (typeof key !== 'string') this.patterns.push([key, handler]);
    else if (this.exact.has(key)) throw new Error(`two Slack listeners for ${key}`);
    else this.exact.set(key, handler);
  }

  find(id: string | undefined): Handler<Args> | undefined {
    if (id === undefined) return undefined;
    return this.exact.get(id) ?? this.patterns.find(([pattern]) => pattern.test(id))?.[1];
  }

  get size(): number {
    return this.exact.size + this.patterns.length;
  }

  keys(): string[] {
    return [...this.exact.keys(), ...this.patterns.map(([pattern]) => String(pattern))];
  }
}

/**
 * Where the flows register their Slack listeners. Bolt runs every request through the
 * middleware chain of every listener it has (each one's matchers, each with its own copy of the
 * arguments): measured on a bare Bolt app, 16 listeners that never match cost a fifth of its acks.
 * So the flows register here, by id, and Bolt gets one listener per kind of request, which finds
 * the handler with a map lookup. Something of a known kind that no flow handles is acked quietly
 * (a button from a message older than this version), where Bolt would let Slack time out.
 */
export class SlackRouter {
  private readonly commands = new Table<SlackCommandMiddlewareArgs>();
  private readonly actions = new Table<SlackActionMiddlewareArgs>();
  private readonly views = new Table<SlackViewMiddlewareArgs>();
  private readonly shortcuts = new Table<SlackShortcutMiddlewareArgs>();
  private readonly events = new Table<SlackEventMiddlewareArgs>();

  command(name: string, handler: Handler<SlackCommandMiddlewareArgs>): void {
    this.commands.add(name, handler);
  }

  action(actionId: Key | { action_id: string }, handler: Handler<SlackActionMiddlewareArgs>): void {
    this.actions.add(
      typeof actionId === 'object' && 'action_id' in actionId ? actionId.action_id : actionId,
      handler,
    );
  }

  view(callbackId: string, handler: Handler<SlackViewMiddlewareArgs>): void {
    this.views.add(callbackId, handler);
  }

  shortcut(callbackId: string, handler: Handler<SlackShortcutMiddlewareArgs>): void {
    this.shortcuts.add(callbackId, handler);
  }

  event<Type extends string>(type: Type, handler: Handler<SlackEventMiddlewareArgs<Type>>): void {
    this.events.add(type, handler as unknown as Handler<SlackEventMiddlewareArgs>);
  }

  /** The Events API event types some flow handles (what the app manifest must subscribe to). */
  eventTypes(): string[] {
    return this.events.keys();
  }

  /** One Bolt listener per kind of request that some flow handles. */
  mount(app: App, logger: Logger): void {
    if (this.commands.size > 0)
      app.command(
        /.*/,
        dispatch(this.commands, 'command', (args) => args.command.command, logger),
      );
    if (this.actions.size > 0)
      app.action(
        /.*/,
        dispatch(this.actions, 'action', (args) => (args.action as { action_id?: string }).action_id, logger),
      );
    if (this.views.size > 0)
      app.view(
        /.*/,
        dispatch(this.views, 'view', (args) => args.view.callback_id, logger),
      );
    if (this.shortcuts.size > 0)
      app.shortcut(
        /.*/,
        dispatch(this.shortcuts, 'shortcut', (args) => args.shortcut.callback_id, logger),
      );
    if (this.events.size > 0)
      app.event(
        /.*/,
        dispatch(this.events, 'event', (args) => args.event.type, logger),
      );
  }
}

/** The one Bolt listener of a kind: the flow's handler for this id, else a quiet ack. */
function dispatch<Args>(
  table: Table<Args>,
  kind: string,
  idOf: (args: Args & AllMiddlewareArgs) => string | undefined,
  logger: Logger,
) {
  return async (args: Args & AllMiddlewareArgs): Promise<void> => {
    const id = idOf(args);
    const handler = table.find(id);
    if (handler) {
      await handler(args);
      return;
    }
    logger.debug({ kind, id }, 'Slack request no listener handles; acked');
    const { ack } = args as { ack?: () => Promise<void> };
    if (ack) await ack(); // events have no ack: Bolt answers them itself
  };
}
