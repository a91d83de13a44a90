import { z } from 'zod';

/** The objects whose fields the profile screens pick from: matching targets, and Event/Task for notifications. */
export const DESCRIBED_OBJECTS = ['Opportunity', 'Account', 'Lead', 'Event', 'Task'] as const;
export const DescribedObject = z.enum(DESCRIBED_OBJECTS);
export type DescribedObject = z.infer<typeof DescribedObject>;

export const PicklistValue = z.object({ value: z.string(), label: z.string() });

export const OrgField = z.object({
  name: z.string(),
  label: z.string(),
  /** Salesforce's field type: string, picklist, date, datetime, double, currency, boolean, reference... */
  type: z.string(),
  picklistValues: z.array(PicklistValue),
  /** Usable in an eligibility condition (a WHERE clause). */
  filterable: z.boolean(),
  /** Usable in a sort-based ranking condition. */
  sortable: z.boolean(),
  /** Can hold a value Roster writes (notification answer fields). */
  updateable: z.boolean(),
  /** For lookups: the parent's relationship name (Owner for OwnerId), for paths such as Owner.Name. */
  relationshipName: z.string().nullable(),
});
export type OrgField = z.infer<typeof OrgField>;

export const ObjectFields = z.object({ objectType: DescribedObject, fields: z.array(OrgField) });
export const ObjectParams = z.object({ objectType: DescribedObject });
