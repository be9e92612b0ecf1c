import { parse, type Tags, type YAMLMap, type YAMLSeq } from 'yaml';

/**
 * Parses a CloudFormation YAML template into the JSON form CloudFormation itself uses: the short
 * intrinsic tags (!Ref, !GetAtt, !Sub, !If...) become { Ref } / { 'Fn::X' } objects, so code and
 * tests can read a template's values instead of repeating them.
 */
export function parseCfnTemplate(text: string): CfnTemplate {
  return parse(text, { customTags: CFN_TAGS }) as CfnTemplate;
}

export interface CfnTemplate {
  Parameters?: Record<string, { Type: string; Default?: unknown; [key: string]: unknown }>;
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; [key: string]: unknown }>;
  Outputs?: Record<string, { Value: unknown; [key: string]: unknown }>;
  [key: string]: unknown;
}

const FUNCTIONS = [
  'And',
  'Base64',
  'Cidr',
  'Equals',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'Or',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'ToJsonString',
  'Length',
];

/** `!GetAtt A.B` is shorthand for `{ 'Fn::GetAtt': ['A', 'B'] }`; every other tag keeps its value. */
const intrinsic = (name: string, value: unknown): unknown => {
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
};

// Each function may be written on a scalar, a sequence or a mapping.
const CFN_TAGS: Tags = ['Ref', 'Condition', ...FUNCTIONS].flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => intrinsic(name, value) },
  {
    tag: `!${name}`,
    collection: 'seq' as const,
    resolve: (value: YAMLMap.Parsed | YAMLSeq.Parsed) => intrinsic(name, value.toJSON()),
  },
  {
    tag: `!${name}`,
    collection: 'map' as const,
    resolve: (value: YAMLMap.Parsed | YAMLSeq.Parsed) => intrinsic(name, value.toJSON()),
  },
]);
