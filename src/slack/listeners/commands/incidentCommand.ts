import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps.js';
import { helpText } from '../../messages/help.js';

/** Sub-commands, with their aliases, as typed after the command name. */
export const subcommands = {
  open: ['open'],
  update: ['update'],
  close: ['close'],
  status: ['status'],
  postmortem: ['postmortem', 'pm', 'post-mortem'],
  help: ['help', ''],
} as const;

export type Subcommand = keyof typeof subcommands;

export function parseSubcommand(text: string): { subcommand: Subcommand | undefined; word: string } {
  const word = text.trim().toLowerCase().split(/\s+/)[0] ?? '';
  const found = (Object.keys(subcommands) as Subcommand[]).find((name) =>
    (subcommands[name] as readonly string[]).includes(word),
  );
  return { subcommand: found, word };
}

/** `/incident <sub>` and its aliases: ack at once, then route. */
export function registerIncidentCommand(app: App, deps: AppDeps): void {
  const { command, aliases } = deps.config.mapping.slack;
  for (const name of [command, ...aliases]) {
    app.command(name, async ({ command: payload, ack }) => {
      const { subcommand, word } = parseSubcommand(payload.text ?? '');
      if (subcommand === 'help') return ack({ response_type: 'ephemeral', text: helpText(command) });
      if (!subcommand) {
        return ack({
          response_type: 'ephemeral',
          text: `:x: Unknown command \`${word}\`!\n\n${helpText(command)}`,
        });
      }
      return ack({ response_type: 'ephemeral', text: `\`${command} ${word}\` is coming soon.` });
    });
  }
}
