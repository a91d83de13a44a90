import type { Access } from './access.js';
import type { FieldDef, ObjectDef } from './catalog.js';
import type { OrgStore } from './org.js';

const SOAP_TYPE: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  datetime: 'xsd:dateTime',
  date: 'xsd:date',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  address: 'urn:address',
  anyType: 'xsd:anyType',
};
const LENGTH: Record<string, number> = {
  id: 18,
  reference: 18,
  string: 255,
  email: 80,
  phone: 40,
  url: 255,
  picklist: 255,
  combobox: 255,
  textarea: 32000,
};
const SYSTEM = new Set([
  'Id',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
  'IsDeleted',
]);

/** Salesforce's default values of the standard picklists the profile screens offer (Setup's out-of-the-box lists). */
const STANDARD_PICKLISTS: Record<string, string[]> = {
  'Account.Type': [
    'Analyst',
    'Competitor',
    'Customer',
    'Integrator',
    'Investor',
    'Partner',
    'Press',
    'Prospect',
    'Reseller',
    'Other',
  ],
  'Account.Industry': [
    'Agriculture',
    'Banking',
    'Communications',
    'Education',
    'Energy',
    'Finance',
    'Healthcare',
    'Manufacturing',
    'Retail',
    'Technology',
    'Other',
  ],
  'Account.Rating': ['Hot', 'Warm', 'Cold'],
  'Opportunity.StageName': [
    'Prospecting',
    'Qualification',
    'Needs Analysis',
    'Value Proposition',
    'Id. Decision Makers',
    'Perception Analysis',
    'Proposal/Price Quote',
    'Negotiation/Review',
    'Closed Won',
    'Closed Lost',
  ],
  'Opportunity.Type': [
    'Existing Customer - Upgrade',
    'Existing Customer - Replacement',
    'Existing Customer - Downgrade',
    'New Customer',
  ],
  'Opportunity.LeadSource': ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'],
  'Lead.Status': ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'],
  'Lead.Industry': [
    'Agriculture',
    'Banking',
    'Communications',
    'Education',
    'Energy',
    'Finance',
    'Healthcare',
    'Manufacturing',
    'Retail',
    'Technology',
    'Other',
  ],
  'Lead.Rating': ['Hot', 'Warm', 'Cold'],
  'Lead.LeadSource': ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'],
  'Event.Type': ['Call', 'Email', 'Meeting', 'Other'],
  'Task.Type': ['Call', 'Email', 'Meeting', 'Other'],
  'Task.Status': ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'],
  'Task.Priority': ['High', 'Normal', 'Low'],
};
const picklistValues = (object: string, f: FieldDef) =>
  (STANDARD_PICKLISTS[`${object}.${f.name}`] ?? []).map((value) => ({
    active: true,
    defaultValue: false,
    label: value,
    validFor: null,
    value,
  }));

export function label(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/^[a-z0-9]+__/, '')
    .replace(/_/g, ' ')
    .replace(/Id$/, ' ID')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim();
}

function describeField(object: string, f: FieldDef): Record<string, unknown> {
  const system = SYSTEM.has(f.name);
  const isNumber = ['int', 'double', 'currency', 'percent'].includes(f.type);
  return {
    aggregatable: f.type !== 'textarea' && f.type !== 'address',
    autoNumber: false,
    byteLength: (LENGTH[f.type] ?? 0) * 3,
    calculated: !!f.get && f.type !== 'address',
    caseSensitive: false,
    compoundFieldName: f.flsKey !== f.name ? f.flsKey : null,
    createable: !system && !f.get,
    custom: f.custom,
    defaultValue: null,
    defaultedOnCreate: system || f.type === 'boolean' || f.name === 'OwnerId',
    digits: f.type === 'int' ? 9 : 0,
    externalId: false,
    filterable: f.type !== 'textarea' && f.type !== 'address',
    groupable: !['textarea', 'address', 'datetime', 'double', 'currency', 'percent'].includes(f.type),
    idLookup: f.name === 'Id' || f.name === 'Username' || f.name === 'Email',
    label: label(f.name),
    length: isNumber || f.type === 'boolean' || f.type === 'date' || f.type === 'datetime' ? 0 : (LENGTH[f.type] ?? 0),
    name: f.name,
    nameField: f.name === 'Name',
    namePointing: f.referenceTo.length > 1,
    nillable: !system && f.type !== 'boolean',
    permissionable: f.permissionable,
    picklistValues: picklistValues(object, f),
    polymorphicForeignKey: f.referenceTo.length > 1,
    precision: f.type === 'currency' ? 18 : isNumber ? 18 : 0,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    restrictedPicklist: false,
    scale: f.type === 'currency' ? 2 : 0,
    soapType: SOAP_TYPE[f.type] ?? 'xsd:string',
    sortable: f.type !== 'textarea' && f.type !== 'address',
    type: f.type,
    unique: false,
    updateable: !system && !f.get,
  };
}

function urls(version: string, name: string): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${name}`;
  return {
    rowTemplate: `${base}/{ID}`,
    defaultValues: `${base}/defaultValues?recordTypeId&fields`,
    describe: `${base}/describe`,
    sobject: base,
  };
}

function summary(def: ObjectDef, version: string): Record<string, unknown> {
  const crud = def.access.kind === 'crud';
  return {
    activateable: false,
    createable: crud,
    custom: false,
    customSetting: false,
    deepCloneable: false,
    deletable: crud,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: def.keyPrefix === '000' ? null : def.keyPrefix,
    label: label(def.name),
    labelPlural: `${label(def.name)}s`,
    layoutable: crud,
    mergeable: false,
    mruEnabled: crud,
    name: def.name,
    queryable: true,
    replicateable: def.name !== 'UserPermissionAccess',
    retrieveable: true,
    searchable: crud,
    triggerable: crud,
    undeletable: crud,
    updateable: crud,
    urls: urls(version, def.name),
  };
}

export function describeGlobal(org: OrgStore, access: Access, version: string): Record<string, unknown> {
  const sobjects = [...org.catalog.values()]
    .filter((d) => access.canReadObject(d.name))
    .map((d) => summary(d, version));
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects };
}

/** Describe as the running user sees it: fields hidden by field-level security are absent. */
export function describeSObject(def: ObjectDef, access: Access, version: string): Record<string, unknown> {
  return {
    ...summary(def, version),
    actionOverrides: [],
    childRelationships: [],
    compactLayoutable: false,
    fields: def.fields.filter((f) => access.canReadField(def, f)).map((f) => describeField(def.name, f)),
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [],
    sobjectDescribeOption: 'FULL',
    supportedScopes: [],
  };
}
