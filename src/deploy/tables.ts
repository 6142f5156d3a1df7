/** The DynamoDB tables and S3 buckets a deployment defines, as the local stand-ins create them. */
import { ContractError } from '../errors';
import type { Resolver } from './intrinsics';
import type { DeployedBucket, DeployedTable } from './model';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/**
 * The DynamoDB tables a template defines: `AWS::DynamoDB::Table` (CloudFormation, the CDK) with its keys
 * and indexes, and SAM's `AWS::Serverless::SimpleTable` (a hash key, `id` of type String by default).
 */
export function tablesOf(resources: Obj, resolver: Resolver, deployed: (id: string, r: Obj) => boolean, file = ''): DeployedTable[] {
  const out: DeployedTable[] = [];
  const TYPES: Record<string, 'S' | 'N' | 'B'> = { String: 'S', Number: 'N', Binary: 'B' };
  for (const [id, raw] of Object.entries(resources)) {
    const r = obj(raw);
    if ((r.Type !== 'AWS::DynamoDB::Table' && r.Type !== 'AWS::Serverless::SimpleTable') || !deployed(id, r)) continue;
    const props = obj(resolver.resolve(obj(r.Properties), `Resources.${id}.Properties`));
    const name = typeof props.TableName === 'string' ? props.TableName : id;
    if (r.Type === 'AWS::Serverless::SimpleTable') {
      const key = obj(props.PrimaryKey);
      const attribute = typeof key.Name === 'string' ? key.Name : 'id';
      out.push({ id, name, keySchema: [{ AttributeName: attribute, KeyType: 'HASH' }], attributeDefinitions: [{ AttributeName: attribute, AttributeType: TYPES[String(key.Type ?? 'String')] ?? 'S' }] });
      continue;
    }
    const keySchema = Array.isArray(props.KeySchema) ? (props.KeySchema as DeployedTable['keySchema']) : [];
    const attributeDefinitions = Array.isArray(props.AttributeDefinitions) ? (props.AttributeDefinitions as DeployedTable['attributeDefinitions']) : [];
    if (keySchema.length === 0) {
      const pointer = `/Resources/${id}/Properties/KeySchema`;
      throw new ContractError('ERR_CONTRACT_TEMPLATE', `${file}#${pointer}: table ${id} has no key schema; the local DynamoDB cannot create it (give KeySchema and AttributeDefinitions)`, { file, pointer });
    }
    out.push({
      id, name, keySchema, attributeDefinitions,
      ...(Array.isArray(props.GlobalSecondaryIndexes) ? { globalSecondaryIndexes: props.GlobalSecondaryIndexes } : {}),
      ...(Array.isArray(props.LocalSecondaryIndexes) ? { localSecondaryIndexes: props.LocalSecondaryIndexes } : {}),
    });
  }
  return out;
}

/** The name an `AWS::S3::Bucket` goes by: its `BucketName`, else its logical id lower-cased (S3 names are). */
export function bucketName(id: string, props: Obj): string {
  return typeof props.BucketName === 'string' ? props.BucketName : id.toLowerCase();
}

/** The S3 buckets a template declares. */
export function bucketsOf(resources: Obj, resolver: Resolver, deployed: (id: string, r: Obj) => boolean): DeployedBucket[] {
  const out: DeployedBucket[] = [];
  for (const [id, raw] of Object.entries(resources)) {
    const r = obj(raw);
    if (r.Type !== 'AWS::S3::Bucket' || !deployed(id, r)) continue;
    out.push({ id, name: bucketName(id, obj(resolver.resolve(obj(r.Properties), `Resources.${id}.Properties`))) });
  }
  return out;
}
