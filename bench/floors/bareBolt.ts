/**
 * Floor for the slash-command ack: a bare Bolt app (HTTP receiver, same signing secret) that
 * acks `/incident` with a short text and does nothing else. Prints its port when listening.
 */
import type { Server } from 'node:http';
import { App, HTTPReceiver } from '@slack/bolt';

const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  processBeforeResponse: false,
});
const app = new App({
  token: 'xoxb-bare-bolt',
  receiver,
  botId: 'B0BARE',
  botUserId: 'U0BARE',
  // No auth.test call (there is no Slack here): the floor is the ack path alone.
  tokenVerificationEnabled: false,
});
app.command(/.*/, async ({ ack }) => {
  await ack({ response_type: 'ephemeral', text: 'ok' });
});
const server = (await app.start(0)) as Server;
const address = server.address();
console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
