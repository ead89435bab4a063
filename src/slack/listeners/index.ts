import type { App } from '@slack/bolt';
import { ROUNDUP_COMMAND, roundupCommand } from './commands/roundup';

/** Every listener, registered in one place. */
export function registerListeners(app: App): void {
  app.command(ROUNDUP_COMMAND, roundupCommand);
}
