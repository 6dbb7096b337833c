import type { Command } from 'commander';
import { registerModelsFilesCommands } from './registerModelsFilesCommands.js';
import { registerModelsServeCommand } from './registerModelsServeCommand.js';
import { registerModelsTryCommand } from './registerModelsTryCommand.js';

/** `nightshift models`: the command group for the models Nightshift runs. Returns the group for its subcommands. */
export function registerModelsCommand(program: Command): Command {
  const models = program.command('models').description('work with the models Nightshift runs');
  registerModelsServeCommand(models);
  registerModelsTryCommand(models);
  registerModelsFilesCommands(models);
  return models;
}
