import type { Plan } from '../../../shared/planSchema.js';

/** The plan as the coder and reviewer prompts show it. */
export function formatPlan(plan: Plan): string {
  return [
    `Restatement: ${plan.restatement}`,
    `Test file: ${plan.testFile}`,
    `Target files: ${plan.targetFiles.join(', ')}`,
    'Required imports:',
    ...plan.requiredImports.map((line) => `  ${line}`),
    'Definition of Done:',
    ...plan.definitionOfDone.map((item) => `  - ${item.description}: \`${item.command}\``),
  ].join('\n');
}
