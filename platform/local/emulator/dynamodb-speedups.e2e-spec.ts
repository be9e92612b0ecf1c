import { request } from 'node:http';
import { MotoServer, startMotoServer } from './moto-server';
import { LOCAL_REGION } from './data-stack';
import { dynamodbJsonHeaders } from './dynamodb-json-headers';

/** One DynamoDB JSON 1.0 call as the SDK sends it (unsigned: dynamodb-json-headers.ts). */
interface Call {
  readonly action: string;
  readonly body: unknown;
  /** A call dynamodb_fast_path.py answers itself; everything else it leaves to moto. */
  readonly fast?: true;
}

/** What a client sees of an answer: status, the headers that carry meaning, the body as sent. */
interface Answer {
  readonly call: string;
  readonly status: number;
  readonly headers: Record<string, string | null>;
  readonly body: string;
}

const TABLE = 'images-differential';
const INDEX = 'state-updatedAt-index';
const OTHER_TABLE = 'keyed-by-pk';
const RANGE_TABLE = 'keyed-by-pk-and-sk';
const S = (s: string) => ({ S: s });
const N = (n: number) => ({ N: String(n) });

/** infra/data.yaml's table, as CreateTable spells it. */
const createTable: Call = {
  action: 'CreateTable',
  body: {
    TableName: TABLE,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'state', AttributeType: 'S' },
      { AttributeName: 'updatedAt', AttributeType: 'N' },
    ],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: INDEX,
        KeySchema: [
          { AttributeName: 'state', KeyType: 'HASH' },
          { AttributeName: 'updatedAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  },
};

/** A table of its key alone: its first attribute the hash key, its second (if any) the range key. */
const keyedTable = (name: string, key: Record<string, 'S' | 'N'>): Call => ({
  action: 'CreateTable',
  body: {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: Object.entries(key).map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: Object.keys(key).map((AttributeName, i) => ({ AttributeName, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
  },
});

const image = (id: string, state: string, version: number, at: number) => ({
  id: S(id),
  version: N(version),
  state: S(state),
  createdAt: N(at),
  updatedAt: N(at),
});

/** The repair sweep's GSI query: images `uploaded` since before `before`. */
const stuckQuery = (before: number, extra: object): Call => ({
  action: 'Query',
  body: {
    TableName: TABLE,
    IndexName: INDEX,
    KeyConditionExpression: '#state = :state AND updatedAt < :before',
    ExpressionAttributeNames: { '#state': 'state' },
    ExpressionAttributeValues: { ':state': S('uploaded'), ':before': N(before) },
    ...extra,
  },
});

/** dynamodb-image-table.ts's update: SET every field, on version and allowed states, ALL_NEW. */
const transition = (id: string, expected: number, from: string[], fields: Record<string, unknown>, extra: object = {}): Call => ({
  action: 'UpdateItem',
  body: {
    TableName: TABLE,
    Key: { id: S(id) },
    UpdateExpression: `SET ${Object.keys(fields)
      .map((f) => `#${f} = :${f}`)
      .join(', ')}`,
    ConditionExpression: `#version = :expected AND #state IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
    ExpressionAttributeNames: {
      '#state': 'state',
      '#version': 'version',
      ...Object.fromEntries(Object.keys(fields).map((f) => [`#${f}`, f])),
    },
    ExpressionAttributeValues: {
      ':expected': N(expected),
      ...Object.fromEntries(from.map((s, i) => [`:from${i}`, S(s)])),
      ...Object.fromEntries(Object.entries(fields).map(([f, v]) => [`:${f}`, v])),
    },
    ReturnValues: 'ALL_NEW',
    ...extra,
  },
  ...(Object.keys(extra).length === 0 ? { fast: true } : {}),
});
/** An item of its own, then a transition of the platform's shape whose condition holds, but which the fast layer leaves to moto. */
const leftToMoto = (id: string, fields: Record<string, unknown>, extra: object = {}): Call[] => {
  const { action, body } = transition(id, 3, ['processed'], fields, extra);
  return [put(image(id, 'processed', 3, 1_650_000_000_000)), { action, body }];
};

const put = (item: object, extra: object = {}): Call => ({
  action: 'PutItem',
  body: { TableName: TABLE, Item: item, ConditionExpression: 'attribute_not_exists(id)', ...extra },
  ...(Object.keys(extra).length === 0 ? { fast: true } : {}),
});
/** The platform's shape, but a case the fast layer leaves to moto. */
const toMoto = ({ action, body }: Call): Call => ({ action, body });
const get = (id: string, extra: object = {}): Call => ({
  action: 'GetItem',
  body: { TableName: TABLE, Key: { id: S(id) }, ConsistentRead: true, ...extra },
  ...(Object.keys(extra).length === 0 ? { fast: true } : {}),
});
const getRange = (key: object, fast?: true): Call => ({
  action: 'GetItem',
  body: { TableName: RANGE_TABLE, Key: key },
  ...(fast ? { fast } : {}),
});
const update = (body: object): Call => ({ action: 'UpdateItem', body: { TableName: TABLE, Key: { id: S('a') }, ...body } });

/** The platform's calls (create, read, transitions, the repair sweep's query), their failures, and moto's validation errors. */
const CALLS: readonly Call[] = [
  createTable,
  { ...createTable }, // ResourceInUseException
  { action: 'DescribeTable', body: { TableName: TABLE } },
  { action: 'DescribeTable', body: { TableName: 'no-such-table' } },
  put(image('a', 'created', 0, 1_700_000_000_000)),
  put(image('a', 'created', 0, 1_700_000_000_001)), // ConditionalCheckFailedException
  put(image('a', 'created', 0, 1_700_000_000_002), { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
  put(image('b', 'uploaded', 3, 1_600_000_000_000)),
  toMoto(
    put({
      ...image('c', 'uploaded', 1, 1_650_000_000_000),
      tags: { SS: ['x', 'y'] },
      sizes: { NS: ['1', '2.5'] },
      blob: { B: 'AAECAwQ=' },
      nested: { M: { list: { L: [S('one'), N(2), { BOOL: true }, { NULL: true }, { M: { deep: S('') } }] }, flag: { BOOL: false } } },
    }),
  ),
  put(image('d', 'processed', 2, 1_650_000_000_000), { ConditionExpression: undefined, ReturnValues: 'ALL_OLD' }),
  put(image('d', 'processed', 3, 1_650_000_000_001), { ConditionExpression: undefined, ReturnValues: 'ALL_OLD' }),
  // a condition that does not lex: moto raises (a 500)
  put(image('e', 'created', 0, 1), { ConditionExpression: 'attribute_not_exists(id) AND $' }),
  put(image('e', 'created', 0, 1), { ConditionExpression: 'attribute_not_exists(id) AND AND' }), // nor parse (a 500 too)
  put(image('e', 'created', 0, 1), { ConditionExpression: 'attribute_not_exists(#missing)' }), // an undefined name (a 500)
  toMoto(put({ version: N(0) })), // the key missing: ValidationException
  toMoto(put({ id: S('') })), // an empty key: ValidationException
  // creates the fast layer leaves to moto, whatever moto answers, each of an item that does not exist yet
  toMoto(put({ ...image('p1', 'created', 0, 1), rawS3Key: S('') })), // an empty string
  toMoto(put({ ...image('p2', 'created', 0, 1), state: N(1) })), // an index key of the wrong type
  toMoto(put({ ...image('p3', 'created', 0, 1), attempts: N(1.5) })), // not an integer
  put(image('p4', 'created', 0, 1), { ConditionExpression: 'attribute_not_exists(version)' }), // another condition
  { action: 'PutItem', body: { TableName: 'no-such-table', Item: image('a', 'created', 0, 1) } },
  get('a'),
  get('c'),
  get('missing'),
  get('c', { ProjectionExpression: '#n.#l[0], tags', ExpressionAttributeNames: { '#n': 'nested', '#l': 'list' } }),
  { action: 'GetItem', body: { TableName: TABLE, Key: { nope: S('a') } } },
  // what the fast reads leave to moto: its errors, and parameters they do not read
  { action: 'GetItem', body: { TableName: TABLE, Key: { id: N(1) } } }, // the key's type is not the table's
  get('a', { Key: { id: S('') } }), // an empty key
  get('a', { Key: { id: S('a'), version: N(0) } }), // more than the key
  get('a', { TableName: 'no-such-table' }),
  get('a', { ReturnConsumedCapacity: 'TOTAL' }),
  get('a', { ConsistentRead: 'yes' }),
  get('a', { AttributesToGet: ['id'] }),
  keyedTable(RANGE_TABLE, { pk: 'S', sk: 'N' }),
  { action: 'PutItem', body: { TableName: RANGE_TABLE, Item: { pk: S('p'), sk: N(2), note: { S: 'é"\\ 🙂' } } } },
  getRange({ pk: S('p'), sk: N(2) }, true),
  getRange({ pk: S('p'), sk: N(3) }, true), // no such item
  getRange({ pk: S('p') }), // the range key missing
  getRange({ pk: S('p'), sk: S('2') }), // the range key's type is not the table's
  transition('a', 0, ['created'], { version: N(1), state: S('uploading'), updatedAt: N(1_700_000_000_100), rawS3Key: S('raw/a') }),
  transition('a', 0, ['created'], { version: N(1), state: S('uploading'), updatedAt: N(1_700_000_000_200) }), // stale version
  transition('a', 1, ['created', 'failed'], { version: N(2), state: S('uploaded'), updatedAt: N(1_700_000_000_300) }), // wrong state
  transition('a', 1, ['uploading'], { version: N(2), state: S('uploaded'), updatedAt: N(1_700_000_000_400), attempts: N(0) }),
  transition(
    'a',
    2,
    ['uploaded'],
    { version: N(3), state: S('processed'), updatedAt: N(1), processedS3Key: S('p/a') },
    {
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  ),
  transition('a', 2, ['uploaded'], { version: N(9) }, { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }), // fails, old item returned
  transition('missing', 0, ['created'], { version: N(1) }), // no item: the condition fails
  // transitions the fast layer leaves to moto, whatever moto answers, each on an item of its own whose condition holds
  ...leftToMoto('t1', { version: N(4), state: N(4) }), // an index key of the wrong type
  ...leftToMoto('t2', { version: N(4), id: S('z') }), // the key
  ...leftToMoto('t3', { version: N(4), attempts: N(1.5) }), // not an integer
  ...leftToMoto('t4', { version: N(4), failureReason: S('') }), // an empty string
  ...leftToMoto('t5', { version: N(4) }, { ExpressionAttributeNames: { '#version': 'version', '#state': 'state', '#unused': 'x' } }),
  ...leftToMoto('t6', { version: N(4), tags: { SS: ['x'] } }), // not a plain value
  ...leftToMoto('t7', { version: N(4), note: S('x'.repeat(5000)) }), // a long string
  transition(
    'b',
    3,
    ['uploaded'],
    { version: N(4), failureReason: S('sepia failed'), attempts: N(1), enqueuedAt: N(7) },
    { ReturnValues: 'UPDATED_OLD' },
  ),
  update({
    UpdateExpression: 'REMOVE failureReason, enqueuedAt SET attempts = attempts + :one',
    ExpressionAttributeValues: { ':one': N(1) },
    ReturnValues: 'ALL_NEW',
  }),
  update({
    UpdateExpression: 'ADD sizes :s SET #n.#l[0] = :v',
    ExpressionAttributeNames: { '#n': 'nested', '#l': 'list' },
    ExpressionAttributeValues: { ':s': { NS: ['3'] }, ':v': S('x') },
  }), // no such path
  update({
    UpdateExpression: 'SET tags = list_append(if_not_exists(tags, :empty), :t)',
    ExpressionAttributeValues: { ':empty': { L: [] }, ':t': { L: [S('t')] } },
    ReturnValues: 'UPDATED_NEW',
  }),
  update({ UpdateExpression: 'SET a = :v SET b = :v', ExpressionAttributeValues: { ':v': N(1) } }), // two SET clauses
  // one expression, names that pass, then names that update the key: the second must still fail
  update({ UpdateExpression: 'SET #f = :v', ExpressionAttributeNames: { '#f': 'attempts' }, ExpressionAttributeValues: { ':v': N(5) } }),
  update({ UpdateExpression: 'SET #f = :v', ExpressionAttributeNames: { '#f': 'id' }, ExpressionAttributeValues: { ':v': S('z') } }),
  // one expression, a table it may update (its key is pk), then one whose key it updates
  keyedTable(OTHER_TABLE, { pk: 'S' }),
  {
    action: 'UpdateItem',
    body: { TableName: OTHER_TABLE, Key: { pk: S('a') }, UpdateExpression: 'SET id = :v', ExpressionAttributeValues: { ':v': S('z') } },
  },
  update({ UpdateExpression: 'SET id = :v', ExpressionAttributeValues: { ':v': S('z') } }),
  // the key
  update({ UpdateExpression: 'SET #id = :v', ExpressionAttributeNames: { '#id': 'id' }, ExpressionAttributeValues: { ':v': S('z') } }),
  update({ UpdateExpression: 'SET version = :missing', ExpressionAttributeValues: { ':v': N(1) } }), // an undefined value
  update({ UpdateExpression: 'SET #missing = :v', ExpressionAttributeValues: { ':v': N(1) } }), // an undefined name
  update({ UpdateExpression: 'SET version = version + :v', ExpressionAttributeValues: { ':v': S('1') } }), // a type mismatch
  update({ UpdateExpression: 'SET version = , state = :v', ExpressionAttributeValues: { ':v': N(1) } }), // a syntax error
  update({ UpdateExpression: 'SET a = :v, a = :v', ExpressionAttributeValues: { ':v': N(1) } }), // overlapping paths
  update({ UpdateExpression: 'SET state = :v', ExpressionAttributeValues: { ':v': N(1) } }), // a GSI key of the wrong type
  // stuck images inserted out of key order, three at the same updatedAt: the table's key orders the ties
  ...['u3', 'u1', 'u4', 'u2'].map((id, i) => put(image(id, 'uploaded', 1, i === 2 ? 1_550_000_000_000 : 1_560_000_000_000))),
  stuckQuery(1_690_000_000_000, { ScanIndexForward: true, Limit: 1 }),
  stuckQuery(1_690_000_000_000, { ScanIndexForward: true, Limit: 3 }),
  stuckQuery(1_690_000_000_000, {
    ScanIndexForward: true,
    Limit: 2,
    ExclusiveStartKey: { id: S('u1'), state: S('uploaded'), updatedAt: N(1_560_000_000_000) },
  }),
  stuckQuery(2_000_000_000_000, { ScanIndexForward: false }),
  {
    action: 'Query',
    body: {
      TableName: TABLE,
      IndexName: 'no-such-index',
      KeyConditionExpression: 'id = :id',
      ExpressionAttributeValues: { ':id': S('a') },
    },
  },
  { action: 'Scan', body: { TableName: TABLE } },
  {
    action: 'Scan',
    body: { TableName: TABLE, FilterExpression: 'version > :v', ExpressionAttributeValues: { ':v': N(1) }, Select: 'COUNT' },
  },
  { action: 'DeleteItem', body: { TableName: TABLE, Key: { id: S('d') }, ReturnValues: 'ALL_OLD' } },
  { action: 'DeleteItem', body: { TableName: TABLE, Key: { id: S('b') }, ConditionExpression: 'attribute_not_exists(id)' } },
  get('a'),
  { action: 'NoSuchOperation', body: {} },
];

/** Headers whose value is the server's own (werkzeug's or cheroot's, a request id, the time), not the answer's. */
const SERVERS_OWN = new Set(['date', 'server', 'connection', 'keep-alive', 'transfer-encoding', 'x-amzn-requestid']);

async function send(endpoint: string, call: Call): Promise<Answer> {
  const response = await post(endpoint, dynamodbJsonHeaders(call.action, LOCAL_REGION), JSON.stringify(call.body));
  const described = `${call.action} ${JSON.stringify(call.body)}`;
  // moto raised (a 500, e.g. an undefined attribute name): the page is the HTTP server's (werkzeug's
  // HTML, cheroot's empty body), not moto's answer; lean and plain agree if both crash
  if (response.status >= 500) return { call: described, status: response.status, headers: {}, body: '(moto raised)' };
  const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !SERVERS_OWN.has(name)));
  // a table's creation time is the clock's: the one value of an answer that differs between two servers
  const body = response.body.replace(/"CreationDateTime": [0-9.]+/g, '"CreationDateTime": "<time>"');
  const timed = body.includes('"<time>"');
  return {
    call: described,
    status: response.status,
    // the CRC and the length are the raw body's: they differ where the creation time does (its digits), compared everywhere else
    headers: timed ? { ...headers, 'x-amz-crc32': null, 'content-length': null } : headers,
    body,
  };
}

/**
 * dynamodb_speedups.py (with the rest of lean_moto_server.py's patches) must change no answer: the
 * platform's DynamoDB calls, their conditional failures and moto's validation errors, sent in the
 * same order to a lean moto and to a plain one, get the same status, headers and body, byte for byte.
 */
describe('the lean moto server answers DynamoDB as plain moto does', () => {
  let lean: MotoServer;
  let plain: MotoServer;

  beforeAll(async () => {
    [lean, plain] = await Promise.all([
      startMotoServer({ variant: 'lean', logName: 'moto-differential-lean' }),
      startMotoServer({ variant: 'plain', logName: 'moto-differential-plain' }),
    ]);
  }, 90_000);
  afterAll(() => Promise.all([lean?.stop(), plain?.stop()]));

  it('gives every call of a platform-like sequence, failing ones included, the same answer', async () => {
    const answers = { lean: [] as Answer[], plain: [] as Answer[] };
    // twice: the second round meets the parsed expressions and shapes the first one left in the caches
    for (const call of [...CALLS, ...CALLS]) {
      answers.lean.push(await send(lean.endpoint, call));
      answers.plain.push(await send(plain.endpoint, call));
    }
    // the sequence covers what it claims: successes, conditional failures, validation errors
    const statuses = answers.plain.map((a) => a.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(20);
    expect(answers.plain.filter((a) => a.body.includes('ConditionalCheckFailedException')).length).toBeGreaterThanOrEqual(6);
    expect(answers.plain.filter((a) => a.body.includes('ValidationException')).length).toBeGreaterThanOrEqual(8);
    answers.lean.forEach((answer, i) => expect(answer).toEqual(answers.plain[i]));
    // and the platform's plain calls were the fast layer's own answers, not moto's passed on: every
    // call of the platform's shape that succeeds is the fast layer's; every failure is moto's
    const fast = await fetch(new URL('/_lean_moto/fast-answers', lean.endpoint)).then((r) => r.json() as Promise<Record<string, number>>);
    const sent = [...CALLS, ...CALLS];
    const expected = (action: string) => sent.filter((c, i) => c.fast && c.action === action && answers.plain[i].status === 200).length;
    expect(fast).toEqual({ GetItem: expected('GetItem'), PutItem: expected('PutItem'), UpdateItem: expected('UpdateItem') });
    expect(Math.min(fast.GetItem, fast.PutItem, fast.UpdateItem)).toBeGreaterThan(0);
  });
});

/**
 * One POST on a connection of its own: cheroot closes a connection after moto raised, and a reused
 * socket could meet that close (a request lost, not an answer to compare).
 */
function post(
  endpoint: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(endpoint, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: Object.fromEntries(Object.entries(res.headers).map(([name, value]) => [name, String(value)])),
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
