import type { SalesforceSession } from '../salesforce/connection.js';
import { explainSalesforceError } from '../salesforce/errors.js';
import type { OrgField } from './schemas.js';

type Connect = (orgId: string) => Promise<SalesforceSession>;
interface Described {
  at: number;
  fields: OrgField[];
}

/**
 * A describe answer is reused this long by the pickers (a tab opening asks for several objects at once); short, so a
 * field just created in Setup shows up on the next open. Save-time checks ask with maxAgeMs 0.
 */
const TTL_MS = 10_000;

/** The org's fields of an object, as the integration user sees them (describe through jsforce), labels first. */
export function createDescribeService({ connect, now = Date.now }: { connect: Connect; now?: () => number }) {
  const cache = new Map<string, Described>();

  async function describe(orgId: string, objectType: string, { maxAgeMs = TTL_MS } = {}): Promise<OrgField[]> {
    const key = `${orgId}:${objectType}`;
    const hit = cache.get(key);
    if (hit && now() - hit.at < maxAgeMs) return hit.fields;
    const session = await connect(orgId);
    let described;
    try {
      described = await session.conn.sobject(objectType).describe();
    } catch (err) {
      throw explainSalesforceError(err);
    }
    const fields = described.fields
      .map((f): OrgField => ({
        name: f.name,
        label: f.label,
        type: f.type,
        picklistValues: (f.picklistValues ?? [])
          .filter((p) => p.active !== false)
          .map((p) => ({ value: p.value, label: p.label ?? p.value })),
        filterable: f.filterable !== false,
        sortable: f.sortable !== false,
        updateable: f.updateable === true,
        relationshipName: f.relationshipName ?? null,
      }))
      .sort((a, b) => a.label.localeCompare(b.label));
    cache.set(key, { at: now(), fields });
    return fields;
  }

  return { describe };
}

export type DescribeService = ReturnType<typeof createDescribeService>;

/**
 * The field a condition names, looked up in the object's describe: `Type` directly, `Owner.Name` through the
 * lookup whose relationship name is Owner (the parent's own fields are not checked: that would be one describe per
 * hop). Undefined when the object has no such field.
 */
export function findField(fields: readonly OrgField[], path: string): OrgField | undefined {
  const [head, ...rest] = path.split('.');
  const lower = (head ?? '').toLowerCase();
  if (rest.length === 0) return fields.find((f) => f.name.toLowerCase() === lower);
  return fields.find((f) => f.relationshipName?.toLowerCase() === lower);
}
