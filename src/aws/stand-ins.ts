/**
 * A run's AWS stand-ins, started once for all its functions when the first one starts: the local
 * DynamoDB with the template's tables, its S3 buckets in memory, the run's token issuer (whose keys
 * every Cognito user pool publishes), the secrets and parameters the user gave, and the front that the
 * sandboxes send those services' calls to.
 */
import type { DeployedBucket, DeployedTable } from '../deploy/model';
import type { RedirectOptions } from '../invoke/aws-redirect';
import { startDynamo, type LocalDynamo, type TableItems } from './dynamodb';
import { startAwsFront, type AwsFront } from './front';
import { LocalIssuer } from './identity';
import { LocalS3 } from './s3';
import type { AwsValues } from './values';

/** What a run stands in for. */
export interface StandInOptions {
  tables: readonly DeployedTable[];
  buckets?: readonly DeployedBucket[];
  tableItems?: TableItems;
  values?: AwsValues;
}

export class AwsStandIns {
  private issuerStarted: Promise<LocalIssuer> | undefined;
  private started: Promise<{ front: AwsFront; dynamo?: LocalDynamo; s3?: LocalS3 }> | undefined;

  constructor(private readonly options: StandInOptions) {}

  /** The run's token issuer (one key per run), made when first asked for. */
  issuer(): Promise<LocalIssuer> {
    return (this.issuerStarted ??= LocalIssuer.start());
  }

  /** Starts the stand-ins (once) and says where a sandbox sends which services' calls. */
  async redirect(): Promise<RedirectOptions> {
    this.started ??= this.start();
    const { front, dynamo } = await this.started;
    // DynamoDB's calls need nothing of the front: they go straight to the local DynamoDB.
    return { endpoint: front.endpoint, services: front.services, ...(dynamo ? { direct: { dynamodb: dynamo.endpoint } } : {}) };
  }

  private async start(): Promise<{ front: AwsFront; dynamo?: LocalDynamo; s3?: LocalS3 }> {
    const { tables, tableItems, values, buckets = [] } = this.options;
    const dynamo = tables.length > 0 ? await startDynamo(tables, tableItems) : undefined;
    const s3 = buckets.length > 0 ? new LocalS3(buckets) : undefined;
    try {
      const front = await startAwsFront({ issuer: () => this.issuer(), ...(values ? { values } : {}), ...(s3 ? { s3 } : {}) });
      return { front, ...(dynamo ? { dynamo } : {}), ...(s3 ? { s3 } : {}) };
    } catch (error) {
      await dynamo?.close();
      throw error;
    }
  }

  /** What they did: the tables' items now, secrets and parameters served, key sets fetched; undefined when nothing started. */
  async report(): Promise<{ tables?: Array<{ id: string; name: string; items: number }>; buckets?: Array<{ id: string; name: string; objects: number }>; secrets: number; parameters: number; keySets: number } | undefined> {
    const s = await this.started?.catch(() => undefined);
    if (!s) return undefined;
    const tables = s.dynamo ? await s.dynamo.itemCounts().catch(() => undefined) : undefined;
    return { ...(tables ? { tables } : {}), ...(s.s3 ? { buckets: s.s3.objectCounts() } : {}), ...s.front.served };
  }

  /** The issuer if one was made (for the count of tokens it minted). */
  async issuerIfStarted(): Promise<LocalIssuer | undefined> {
    return this.issuerStarted?.catch(() => undefined);
  }

  async close(): Promise<void> {
    const s = await this.started?.catch(() => undefined);
    await s?.front.close();
    await s?.dynamo?.close();
  }
}
