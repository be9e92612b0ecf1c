import { zonalAwsProxies } from './zonal-proxies';

describe('zonalAwsProxies', () => {
  it("sends each service's proxies, in both zones, to that service's own emulator process", () => {
    const proxies = zonalAwsProxies('127.0.0.1', {
      dynamodb: 'http://127.0.0.1:4566',
      s3: 'http://127.0.0.1:5001',
      sqs: 'http://127.0.0.1:5002',
    });
    const upstreams = Object.fromEntries(proxies.map((p) => [p.name, p.upstream]));
    expect(upstreams).toEqual({
      'dynamodb-a': '127.0.0.1:4566',
      's3-a': '127.0.0.1:5001',
      'sqs-a': '127.0.0.1:5002',
      'dynamodb-b': '127.0.0.1:4566',
      's3-b': '127.0.0.1:5001',
      'sqs-b': '127.0.0.1:5002',
    });
  });

  it('gives zone a the fixed ports asked for and zone b free ones', () => {
    const one = 'http://127.0.0.1:4566';
    const proxies = zonalAwsProxies('127.0.0.1', { dynamodb: one, s3: one, sqs: one }, { dynamodb: 4567, s3: 4568, sqs: 4569 });
    expect(proxies.map((p) => `${p.name} ${p.listen}`)).toEqual([
      'dynamodb-a 127.0.0.1:4567',
      's3-a 127.0.0.1:4568',
      'sqs-a 127.0.0.1:4569',
      'dynamodb-b 127.0.0.1:0',
      's3-b 127.0.0.1:0',
      'sqs-b 127.0.0.1:0',
    ]);
  });
});
