import {
  CreateExperimentTemplateCommand,
  CreateExperimentTemplateCommandInput,
  GetExperimentCommand,
  StartExperimentCommand,
} from '@aws-sdk/client-fis';
import type { FisTestKit } from './fis-test-kit';

/** Creates the template, starts it (with optional experiment tags) and returns the experiment id. */
export async function startTemplate(
  kit: FisTestKit,
  template: Omit<CreateExperimentTemplateCommandInput, 'roleArn' | 'stopConditions' | 'description'> &
    Partial<CreateExperimentTemplateCommandInput>,
  tags?: Record<string, string>,
): Promise<string> {
  const { experimentTemplate } = await kit.fis.send(
    new CreateExperimentTemplateCommand({
      description: 'test',
      roleArn: 'arn:aws:iam::000000000000:role/fis-local',
      stopConditions: [{ source: 'none' }],
      ...template,
    }),
  );
  const { experiment } = await kit.fis.send(new StartExperimentCommand({ experimentTemplateId: experimentTemplate!.id, tags }));
  return experiment!.id!;
}

export async function getExperiment(kit: FisTestKit, id: string) {
  return (await kit.fis.send(new GetExperimentCommand({ id }))).experiment!;
}
