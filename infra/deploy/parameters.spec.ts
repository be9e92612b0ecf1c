import { readFileSync } from 'node:fs';
import { parseCfnTemplate } from '@imagery/cfn-deploy/cfn-yaml';
import { DeployError } from '@imagery/cfn-deploy/deploy-error';
import { buildParameters, parseParameterOverrides, templateParameters, templatePath } from './parameters';

const release = {
  ArtifactBucket: 'artifacts-bucket',
  ArtifactKey: 'releases/imagery-abc.tar.gz',
  DataTemplateKey: 'templates/data-abc.yaml',
};

const root = templateParameters('root');

describe('stack parameters', () => {
  it('reads the parameters and their defaults from the templates', () => {
    expect(Object.keys(root)).toEqual(
      expect.arrayContaining(['ArtifactBucket', 'ArtifactKey', 'DataTemplateKey', 'InstanceType', 'MaxReceiveCount']),
    );
    expect(root).toMatchObject({ ArtifactKey: undefined, InstanceType: 't3.small', ApiMinSize: '2' });
    expect(templateParameters('data')).toEqual({
      UploadExpirationDays: '30',
      QueueVisibilityTimeout: '60',
      MaxReceiveCount: '5',
      AccessLogBucketName: '',
    });
  });

  it('the release parameters are exactly the root template parameters without a default', () => {
    const { Parameters = {} } = parseCfnTemplate(readFileSync(templatePath('root'), 'utf8'));
    const required = Object.entries(Parameters)
      .filter(([, p]) => p.Default === undefined)
      .map(([name]) => name);
    expect(required.sort()).toEqual(Object.keys(release).sort());
  });
});

describe('the parameters of a deploy', () => {
  it('a first deploy passes the release and the overrides; the template defaults do the rest', () => {
    expect(buildParameters({ declared: root, overrides: { InstanceType: 't3.micro' }, release })).toEqual([
      { ParameterKey: 'ArtifactBucket', ParameterValue: 'artifacts-bucket' },
      { ParameterKey: 'ArtifactKey', ParameterValue: 'releases/imagery-abc.tar.gz' },
      { ParameterKey: 'DataTemplateKey', ParameterValue: 'templates/data-abc.yaml' },
      { ParameterKey: 'InstanceType', ParameterValue: 't3.micro' },
    ]);
  });

  it('on update: keeps deployed values other than the defaults, lets defaults follow the template, never keeps the old release', () => {
    const previous = {
      ...Object.fromEntries(Object.entries(root).map(([key, value]) => [key, value ?? 'old'])),
      InstanceType: 't3.medium', // an earlier --parameter
      ApiMinSize: '3',
    };
    const parameters = buildParameters({ declared: root, overrides: { ApiMinSize: '4' }, release, previous });
    expect(parameters).toEqual([
      { ParameterKey: 'ArtifactBucket', ParameterValue: 'artifacts-bucket' },
      { ParameterKey: 'ArtifactKey', ParameterValue: 'releases/imagery-abc.tar.gz' },
      { ParameterKey: 'DataTemplateKey', ParameterValue: 'templates/data-abc.yaml' },
      { ParameterKey: 'InstanceType', UsePreviousValue: true },
      { ParameterKey: 'ApiMinSize', ParameterValue: '4' },
    ]);
  });

  it('refuses unknown parameters and the ones the script sets itself', () => {
    expect(() => buildParameters({ declared: root, overrides: { InstanceTyp: 't3.micro' }, release })).toThrow(
      /unknown parameter InstanceTyp; the template has ArtifactBucket, /,
    );
    expect(() => buildParameters({ declared: root, overrides: { ArtifactKey: 'mine.tgz' }, release })).toThrow(
      /ArtifactKey is set by the deploy script/,
    );
    expect(() => buildParameters({ declared: templateParameters('data'), overrides: { InstanceType: 'x' } })).toThrow(DeployError);
  });

  it('parses --parameter Key=Value (values may hold "=")', () => {
    expect(parseParameterOverrides(['MaxReceiveCount=3', 'AllowedIngressCidr=10.0.0.0/8', 'X=a=b'])).toEqual({
      MaxReceiveCount: '3',
      AllowedIngressCidr: '10.0.0.0/8',
      X: 'a=b',
    });
    expect(() => parseParameterOverrides(['MaxReceiveCount'])).toThrow(/expected Key=Value/);
  });
});
