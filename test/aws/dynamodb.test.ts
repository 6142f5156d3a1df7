/**
 * The tables a template defines, created in a local DynamoDB for a run: SAM's SimpleTable (its default
 * key and a named one), CloudFormation's Table with a range key and indexes, and the name a function's
 * `!Ref` resolves to (the table's own TableName, else its logical id: the name it is created under).
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamo } from '../../src/aws/dynamodb';
import { deploymentFromText } from '../deploy/copy';

const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      { CodeUri: ., Handler: slow.handler, Runtime: nodejs22.x, Environment: { Variables: { PLAIN: !Ref Plain, KEYED: !Ref Keyed, ORDERS: !Ref Orders } } }
  Plain:
    Type: AWS::Serverless::SimpleTable
  Keyed:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey: { Name: sku, Type: Number }
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub '\${AWS::StackName}-orders'
      BillingMode: PROVISIONED
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }
      AttributeDefinitions:
        - { AttributeName: customer, AttributeType: S }
        - { AttributeName: placed, AttributeType: N }
        - { AttributeName: status, AttributeType: S }
      KeySchema:
        - { AttributeName: customer, KeyType: HASH }
        - { AttributeName: placed, KeyType: RANGE }
      GlobalSecondaryIndexes:
        - IndexName: byStatus
          KeySchema: [{ AttributeName: status, KeyType: HASH }]
          Projection: { ProjectionType: ALL }
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }
`;

describe('DynamoDB tables from a template', () => {
  const deployment = deploymentFromText(TEMPLATE);

  it('reads each table with its keys and indexes, and resolves a function\'s !Ref to the name it is created under', () => {
    expect(deployment.tables?.map((t) => [t.id, t.name, t.keySchema.map((k) => `${k.AttributeName}:${k.KeyType}`).join(' ')])).toEqual([
      ['Plain', 'Plain', 'id:HASH'],
      ['Keyed', 'Keyed', 'sku:HASH'],
      ['Orders', expect.stringMatching(/-orders$/), 'customer:HASH placed:RANGE'],
    ]);
    expect(deployment.tables?.[1]?.attributeDefinitions).toEqual([{ AttributeName: 'sku', AttributeType: 'N' }]);
    const fn = deployment.functions[0];
    expect(fn?.environment).toEqual({ PLAIN: 'Plain', KEYED: 'Keyed', ORDERS: deployment.tables?.[2]?.name });
  });

  it('creates them in a local DynamoDB on loopback, indexes included, and stops it', async () => {
    const dynamo = await startDynamo(deployment.tables ?? []);
    const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    try {
      expect(dynamo.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const { Table } = await client.send(new DescribeTableCommand({ TableName: deployment.tables?.[2]?.name }));
      expect(Table?.KeySchema).toEqual([{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'placed', KeyType: 'RANGE' }]);
      expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['byStatus']);
      expect((await client.send(new DescribeTableCommand({ TableName: 'Plain' }))).Table?.TableStatus).toBe('ACTIVE');
    } finally {
      client.destroy();
      await dynamo.close();
    }
    await expect(fetch(dynamo.endpoint)).rejects.toThrow();
  });

  it('names the table whose definition the local DynamoDB refuses', async () => {
    const bad = [{ id: 'Broken', name: 'Broken', keySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }], attributeDefinitions: [] }];
    await expect(startDynamo(bad)).rejects.toThrow(/table Broken \(Broken\): the local DynamoDB refused its definition/);
  });
});

describe('tables the template cannot create', () => {
  it('refuses a table without a key schema before anything runs, naming the file and pointer', () => {
    expect(() => deploymentFromText(`
Resources:
  Broken:
    Type: AWS::DynamoDB::Table
    Properties: { AttributeDefinitions: [{ AttributeName: id, AttributeType: S }] }
`)).toThrow(/#\/Resources\/Broken\/Properties\/KeySchema: table Broken has no key schema; the local DynamoDB cannot create it/);
  });
});
