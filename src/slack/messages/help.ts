/** The /incident help text. Pure: command name in, mrkdwn out. */
export function helpText(command: string): string {
  return [
    `*${command}* — declare and run incidents from Slack`,
    `• \`${command} open\` — open an incident (impacts → priority → details)`,
    `• \`${command} update\` — update status, roles or details of the incident`,
    `• \`${command} close\` — close the incident (tells you what is missing first)`,
    `• \`${command} status\` — recap of the incident: status, priority, roles, key events, Jira`,
    `• \`${command} postmortem\` (or \`pm\`, \`post-mortem\`) — the incident's post-mortem`,
    `• \`${command} sync\` — what the Jira sync of the incident did lately, newest first`,
    `• \`${command} doctor\` — (admins) check the Slack install and the Jira connection`,
    `• \`${command} help\` — this message`,
  ].join('\n');
}
