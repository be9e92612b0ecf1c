import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCfnTemplate, type CfnTemplate } from '@imagery/cfn-deploy/cfn-yaml';
import { repoRoot } from '@imagery/kernel/repo-root';
import { text } from './template-values';

/** infra/ templates parsed into CloudFormation's JSON form, for the specs that read them. */
export const loadTemplate = (name: string): CfnTemplate => parseCfnTemplate(readFileSync(join(repoRoot(), 'infra', name), 'utf8'));

export const root = loadTemplate('template.yaml');
export const data = loadTemplate('data.yaml');
export const resources = root.Resources;

export const ofType = (type: string, template: CfnTemplate = root) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);
export const props = (id: string, template: CfnTemplate = root): Record<string, unknown> => template.Resources[id].Properties ?? {};
export const ref = (id: string) => ({ Ref: id });
export const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

/** The user data script of a launch template (the !Sub text, placeholders unresolved). */
export function userData(id: string): string {
  return text(props(id), 'LaunchTemplateData', 'UserData', 'Fn::Base64', 'Fn::Sub');
}

/** The app configuration the user data writes (/etc/imagery/<role>.env), placeholders replaced by plausible values. */
export function userDataEnv(id: string, role: string): Record<string, string> {
  const body = new RegExp(`cat > /etc/imagery/${role}.env <<'EOF'\\n([\\s\\S]*?)\\nEOF`).exec(userData(id))![1];
  const sample: Record<string, string> = {
    'Data.Outputs.QueueUrl': 'https://sqs.us-east-1.amazonaws.com/123456789012/q',
    'AWS::Region': 'us-east-1',
    WorkerConcurrency: '2',
    QueueVisibilityTimeout: '60',
  };
  return Object.fromEntries(
    body.split('\n').map((line) => {
      const [key, value] = [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)];
      return [key, value.replace(/\$\{([^}]+)\}/g, (_, name: string) => sample[name] ?? 'x')];
    }),
  );
}

/** The systemd unit the instances run each role under (infra/deploy/instance/imagery@.service), as key → values. */
export function instanceUnit(): Record<string, string[]> {
  const text = readFileSync(join(repoRoot(), 'infra', 'deploy', 'instance', 'imagery@.service'), 'utf8');
  const unit: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (match) (unit[match[1]] ??= []).push(match[2]);
  }
  return unit;
}
