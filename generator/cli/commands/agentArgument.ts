import { InvalidArgumentError } from 'commander';
import { AgentInputError } from '../../agent/dockerConfig.js';

/** A commander argument parser from an agent input check: its refusal is wrong usage (exit 2). */
export function agentArgument<T>(check: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return check(value);
    } catch (e) {
      if (e instanceof AgentInputError) throw new InvalidArgumentError(e.message);
      throw e;
    }
  };
}
