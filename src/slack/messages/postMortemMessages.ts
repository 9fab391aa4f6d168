import { mrkdwn } from '../escape.js';

/** What the channel reads about its post-mortem. Pure; every dynamic part escaped here. */

export const postMortemCreated = (postMortem: { key: string; url: string }) => {
  const text = `:notebook_with_decorative_cover: The post-mortem has been created: <${postMortem.url}|${mrkdwn(postMortem.key)}>`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
};

export const postMortemDelayed = (reason: string) =>
  `:hourglass_flowing_sand: The post-mortem could not be created yet (${mrkdwn(reason)}); the bot keeps trying.`;

export const postMortemFailed = (reason: string, command: string) =>
  `:x: The post-mortem could not be created: ${mrkdwn(reason)} Fix it and run \`${command} postmortem\` again.`;

export const postMortemNotAssigned = (key: string, reason: string) =>
  `:warning: Post-mortem *${mrkdwn(key)}* could not be assigned to the incident commander: ${mrkdwn(reason)} Assign it in Jira.`;
