/**
 * The objects and fields the fake knows, as data. A field spec is `Name:type`, with
 * `+` in front when field-level security governs it (describe's `permissionable`),
 * `>Target1|Target2/RelationshipName` for lookups, and `@Compound` when its FLS follows
 * a compound field (address components).
 */
export type Rec = Record<string, unknown>;

export const PERMISSION_FIELDS = [
  'PermissionsApiEnabled',
  'PermissionsViewAllData',
  'PermissionsModifyAllData',
  'PermissionsViewAllUsers',
  'PermissionsViewSetup',
  'PermissionsManageUsers',
  'PermissionsManageInternalUsers',
  'PermissionsEditEvent',
  'PermissionsEditTask',
  'PermissionsViewRoles',
  'PermissionsCustomizeApplication',
  'PermissionsAuthorApex',
  'PermissionsRunReports',
  'PermissionsExportReport',
  'PermissionsViewAllProfiles',
] as const;
export type PermissionField = (typeof PERMISSION_FIELDS)[number];

/** Setup's dependencies: enabling the key enables the listed permissions. */
export const PERMISSION_IMPLIES: Partial<Record<PermissionField, PermissionField[]>> = {
  PermissionsModifyAllData: ['PermissionsViewAllData', 'PermissionsEditTask', 'PermissionsEditEvent'],
  PermissionsViewAllData: ['PermissionsViewSetup'],
  PermissionsManageUsers: ['PermissionsViewAllUsers', 'PermissionsViewSetup', 'PermissionsManageInternalUsers'],
  PermissionsViewSetup: ['PermissionsViewRoles'],
};

export function permissionClosure(granted: Iterable<string>): Set<string> {
  const out = new Set<string>(granted);
  const queue = [...out];
  while (queue.length) {
    for (const next of PERMISSION_IMPLIES[queue.pop() as PermissionField] ?? []) {
      if (!out.has(next)) {
        out.add(next);
        queue.push(next);
      }
    }
  }
  return out;
}

/** Who may read an object: object permissions, another object's access, a system permission, or anyone. */
export type ObjectAccess =
  { kind: 'crud' } | { kind: 'via'; object: string } | { kind: 'perm'; perm: PermissionField } | { kind: 'public' };

export interface FieldDef {
  name: string;
  type: string;
  permissionable: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  flsKey: string;
  custom: boolean;
  get?: (rec: Rec) => unknown;
}

export interface ObjectDef {
  name: string;
  keyPrefix: string;
  access: ObjectAccess;
  multiCurrencyOnly?: boolean;
  /** Records carry the owner, so private sharing can apply. */
  owned?: boolean;
  sharingField?: string;
  fields: FieldDef[];
  byLower: Map<string, FieldDef>;
  byRelationship: Map<string, FieldDef>;
}

const SYS = [
  'Id:id',
  'CreatedDate:datetime',
  'CreatedById:reference>User/CreatedBy',
  'LastModifiedDate:datetime',
  'LastModifiedById:reference>User/LastModifiedBy',
  'SystemModstamp:datetime',
];
const SYS_DEL = [...SYS, 'IsDeleted:boolean'];
const address = (p: string) => [
  `+${p}Address:address`,
  ...['Street:textarea', 'City:string', 'State:string', 'PostalCode:string', 'Country:string'].map(
    (s) => `+${p}${s}@${p}Address`,
  ),
];
const fullName = (r: Rec) => [r.FirstName, r.LastName].filter((v) => v != null && v !== '').join(' ');

/** Features an org can have off; the objects and fields that exist only with them (absent from describeGlobal). */
export const FEATURES = [
  'accountTeams',
  'teamSelling',
  'advancedCurrencyManagement',
  'territoryManagement',
  'sharedActivities',
] as const;
export type Feature = (typeof FEATURES)[number];
const FIELD_FEATURES: Record<string, Feature> = { 'Opportunity.Territory2Id': 'territoryManagement' };

interface ObjectSpec {
  prefix: string;
  access: ObjectAccess;
  fields: string[];
  multiCurrencyOnly?: boolean;
  feature?: Feature;
  owned?: boolean;
  sharingField?: string;
}
const crud: ObjectAccess = { kind: 'crud' };
const pub: ObjectAccess = { kind: 'public' };
const setup: ObjectAccess = { kind: 'perm', perm: 'PermissionsViewSetup' };
const via = (object: string): ObjectAccess => ({ kind: 'via', object });

const SPECS: Record<string, ObjectSpec> = {
  Organization: {
    prefix: '00D',
    access: pub,
    fields: [
      ...SYS,
      'Name:string',
      'Division:string',
      'OrganizationType:picklist',
      'InstanceName:string',
      'IsSandbox:boolean',
      'DefaultAccountAccess:picklist',
      'DefaultContactAccess:picklist',
      'DefaultLeadAccess:picklist',
      'DefaultOpportunityAccess:picklist',
      'DefaultCalendarAccess:picklist',
      'DefaultCaseAccess:picklist',
      'DefaultLocaleSidKey:picklist',
      'LanguageLocaleKey:picklist',
      'TimeZoneSidKey:picklist',
      'FiscalYearStartMonth:int',
      'UsesStartDateAsFiscalYearName:boolean',
      'IsMultiCurrency:boolean',
    ],
  },
  User: {
    prefix: '005',
    access: pub,
    fields: [
      ...SYS,
      'Username:string',
      'FirstName:string',
      'LastName:string',
      'Name:string',
      'Alias:string',
      'CommunityNickname:string',
      'Email:email',
      '+Title:string',
      '+Department:string',
      '+Division:string',
      '+CompanyName:string',
      '+Phone:phone',
      '+MobilePhone:phone',
      '+EmployeeNumber:string',
      'FederationIdentifier:string',
      'IsActive:boolean',
      'UserType:picklist',
      'UserRoleId:reference>UserRole/UserRole',
      'ProfileId:reference>Profile/Profile',
      'ManagerId:reference>User/Manager',
      'ContactId:reference>Contact/Contact',
      'AccountId:reference>Account/Account',
      'TimeZoneSidKey:picklist',
      'LocaleSidKey:picklist',
      'LanguageLocaleKey:picklist',
      'EmailEncodingKey:picklist',
      'LastLoginDate:datetime',
      'IsPortalEnabled:boolean',
    ],
  },
  UserRole: {
    prefix: '00E',
    access: { kind: 'perm', perm: 'PermissionsViewRoles' },
    fields: [
      ...SYS,
      'Name:string',
      '+DeveloperName:string',
      'ParentRoleId:reference>UserRole/ParentRole',
      'PortalType:picklist',
      'PortalAccountId:reference>Account/PortalAccount',
      '+RollupDescription:string',
      'OpportunityAccessForAccountOwner:picklist',
      'CaseAccessForAccountOwner:picklist',
      'ContactAccessForAccountOwner:picklist',
      'MayForecastManagerShare:boolean',
    ],
  },
  Profile: {
    prefix: '00e',
    access: pub,
    fields: [
      ...SYS,
      'Name:string',
      'Description:string',
      'UserType:picklist',
      'UserLicenseId:reference>UserLicense/UserLicense',
      ...PERMISSION_FIELDS.map((p) => `${p}:boolean`),
    ],
  },
  UserLicense: {
    prefix: '100',
    access: pub,
    fields: [
      ...SYS,
      'Name:string',
      'LicenseDefinitionKey:string',
      'MasterLabel:string',
      'Status:picklist',
      'TotalLicenses:int',
      'UsedLicenses:int',
    ],
  },
  PermissionSet: {
    prefix: '0PS',
    access: setup,
    fields: [
      ...SYS,
      'Name:string',
      'Label:string',
      'Description:string',
      'Type:picklist',
      'IsOwnedByProfile:boolean',
      'IsCustom:boolean',
      'NamespacePrefix:string',
      'ProfileId:reference>Profile/Profile',
      'PermissionSetGroupId:reference>PermissionSetGroup/PermissionSetGroup',
      'LicenseId:reference>UserLicense/License',
      ...PERMISSION_FIELDS.map((p) => `${p}:boolean`),
    ],
  },
  PermissionSetGroup: {
    prefix: '0PG',
    access: setup,
    fields: [
      ...SYS,
      'DeveloperName:string',
      'MasterLabel:string',
      'Description:string',
      'Status:picklist',
      'NamespacePrefix:string',
    ],
  },
  PermissionSetGroupComponent: {
    prefix: '0PC',
    access: setup,
    fields: [
      ...SYS,
      'PermissionSetGroupId:reference>PermissionSetGroup/PermissionSetGroup',
      'PermissionSetId:reference>PermissionSet/PermissionSet',
    ],
  },
  PermissionSetAssignment: {
    prefix: '0Pa',
    access: setup,
    fields: [
      ...SYS,
      'AssigneeId:reference>User/Assignee',
      'PermissionSetId:reference>PermissionSet/PermissionSet',
      'PermissionSetGroupId:reference>PermissionSetGroup/PermissionSetGroup',
      'ExpirationDate:datetime',
      'IsActive:boolean',
    ],
  },
  ObjectPermissions: {
    prefix: '110',
    access: setup,
    fields: [
      ...SYS,
      'ParentId:reference>PermissionSet/Parent',
      'SobjectType:picklist',
      'PermissionsRead:boolean',
      'PermissionsCreate:boolean',
      'PermissionsEdit:boolean',
      'PermissionsDelete:boolean',
      'PermissionsViewAllRecords:boolean',
      'PermissionsModifyAllRecords:boolean',
      'PermissionsViewAllFields:boolean',
    ],
  },
  FieldPermissions: {
    prefix: '01k',
    access: setup,
    fields: [
      ...SYS,
      'ParentId:reference>PermissionSet/Parent',
      'SobjectType:picklist',
      'Field:string',
      'PermissionsRead:boolean',
      'PermissionsEdit:boolean',
    ],
  },
  UserPermissionAccess: {
    prefix: '000',
    access: pub,
    fields: ['Id:id', ...PERMISSION_FIELDS.map((p) => `${p}:boolean`)],
  },
  UserLogin: {
    prefix: '060',
    // Object Reference, UserLogin: "To access this object, you need the UserPermissions.ManageUsers permission."
    access: { kind: 'perm', perm: 'PermissionsManageUsers' },
    fields: [
      'Id:id',
      'UserId:reference>User/User',
      'IsFrozen:boolean',
      'IsPasswordLocked:boolean',
      'LastModifiedDate:datetime',
    ],
  },
  Group: {
    prefix: '00G',
    access: pub,
    fields: [
      ...SYS,
      'Name:string',
      'DeveloperName:string',
      'Type:picklist',
      'OwnerId:reference>User/Owner',
      'RelatedId:reference>User|UserRole/Related',
    ],
  },
  RecordType: {
    prefix: '012',
    access: pub,
    fields: [...SYS, 'Name:string', 'DeveloperName:string', 'SobjectType:picklist', 'IsActive:boolean'],
  },
  Territory2: {
    prefix: '0MI',
    access: pub,
    feature: 'territoryManagement',
    fields: [...SYS, 'Name:string', 'DeveloperName:string'],
  },
  /** One row per installed managed package, keyed by its namespace. */
  PackageLicense: {
    prefix: '050',
    access: setup,
    fields: [
      ...SYS,
      'NamespacePrefix:string',
      'Status:picklist',
      'IsProvisioned:boolean',
      'AllowedLicenses:int',
      'UsedLicenses:int',
      'ExpirationDate:datetime',
    ],
  },
  Account: {
    prefix: '001',
    access: crud,
    owned: true,
    sharingField: 'DefaultAccountAccess',
    fields: [
      ...SYS_DEL,
      'Name:string',
      'OwnerId:reference>User/Owner',
      '+Type:picklist',
      '+ParentId:reference>Account/Parent',
      '+Industry:picklist',
      '+AnnualRevenue:currency',
      '+NumberOfEmployees:int',
      '+Ownership:picklist',
      '+Website:url',
      '+Phone:phone',
      '+Rating:picklist',
      '+Description:textarea',
      '+RecordTypeId:reference>RecordType/RecordType',
      ...address('Billing'),
      ...address('Shipping'),
    ],
  },
  Contact: {
    prefix: '003',
    access: crud,
    owned: true,
    sharingField: 'DefaultContactAccess',
    fields: [
      ...SYS_DEL,
      'FirstName:string',
      'LastName:string',
      'Name:string',
      'OwnerId:reference>User/Owner',
      '+AccountId:reference>Account/Account',
      '+Title:string',
      '+Email:email',
      '+Phone:phone',
      '+MobilePhone:phone',
      '+HomePhone:phone',
      '+OtherPhone:phone',
      '+AssistantPhone:phone',
      '+Department:string',
      '+LeadSource:picklist',
      '+ReportsToId:reference>Contact/ReportsTo',
      ...address('Mailing'),
    ],
  },
  Lead: {
    prefix: '00Q',
    access: crud,
    owned: true,
    sharingField: 'DefaultLeadAccess',
    fields: [
      ...SYS_DEL,
      'FirstName:string',
      'LastName:string',
      'Name:string',
      'Company:string',
      'Status:picklist',
      'OwnerId:reference>User|Group/Owner',
      '+Title:string',
      '+Email:email',
      '+Phone:phone',
      '+MobilePhone:phone',
      '+Industry:picklist',
      '+AnnualRevenue:currency',
      '+Rating:picklist',
      '+Website:url',
      '+LeadSource:picklist',
      'IsConverted:boolean',
      'ConvertedDate:date',
      'ConvertedAccountId:reference>Account/ConvertedAccount',
      'ConvertedContactId:reference>Contact/ConvertedContact',
      'ConvertedOpportunityId:reference>Opportunity/ConvertedOpportunity',
      ...address(''),
    ],
  },
  Opportunity: {
    prefix: '006',
    access: crud,
    owned: true,
    sharingField: 'DefaultOpportunityAccess',
    fields: [
      ...SYS_DEL,
      'Name:string',
      'StageName:picklist',
      'CloseDate:date',
      'OwnerId:reference>User/Owner',
      '+AccountId:reference>Account/Account',
      '+Amount:currency',
      '+ExpectedRevenue:currency',
      '+Probability:percent',
      '+ForecastCategoryName:picklist',
      '+LeadSource:picklist',
      '+Type:picklist',
      '+RecordTypeId:reference>RecordType/RecordType',
      '+Territory2Id:reference>Territory2/Territory2',
      'IsClosed:boolean',
      'IsWon:boolean',
    ],
  },
  OpportunityContactRole: {
    prefix: '00K',
    access: via('Opportunity'),
    fields: [
      ...SYS_DEL,
      'OpportunityId:reference>Opportunity/Opportunity',
      'ContactId:reference>Contact/Contact',
      '+Role:picklist',
      '+IsPrimary:boolean',
    ],
  },
  OpportunityHistory: {
    prefix: '008',
    access: via('Opportunity'),
    fields: [
      ...SYS_DEL,
      'OpportunityId:reference>Opportunity/Opportunity',
      'StageName:picklist',
      'Amount:currency',
      'Probability:percent',
      'CloseDate:date',
    ],
  },
  OpportunityStage: {
    prefix: '01J',
    access: pub,
    fields: [
      ...SYS,
      'ApiName:string',
      'MasterLabel:string',
      'IsActive:boolean',
      'IsClosed:boolean',
      'IsWon:boolean',
      'SortOrder:int',
      'DefaultProbability:percent',
      'ForecastCategoryName:picklist',
    ],
  },
  OpportunityTeamMember: {
    feature: 'teamSelling',
    prefix: '00q',
    access: via('Opportunity'),
    fields: [
      ...SYS_DEL,
      'Name:string',
      'OpportunityId:reference>Opportunity/Opportunity',
      'UserId:reference>User/User',
      'TeamMemberRole:picklist',
      'OpportunityAccessLevel:picklist',
      'Title:string',
    ],
  },
  AccountTeamMember: {
    prefix: '01M',
    access: via('Account'),
    feature: 'accountTeams',
    fields: [
      ...SYS_DEL,
      'AccountId:reference>Account/Account',
      'UserId:reference>User/User',
      'TeamMemberRole:picklist',
      'AccountAccessLevel:picklist',
    ],
  },
  LeadHistory: {
    prefix: '017',
    access: via('Lead'),
    fields: [...SYS_DEL, 'LeadId:reference>Lead/Lead', 'Field:picklist', 'OldValue:anyType', 'NewValue:anyType'],
  },
  LeadStatus: {
    prefix: '01J',
    access: pub,
    fields: [
      ...SYS,
      'ApiName:string',
      'MasterLabel:string',
      'IsConverted:boolean',
      'IsDefault:boolean',
      'SortOrder:int',
    ],
  },
  Task: {
    prefix: '00T',
    access: pub,
    owned: true,
    fields: [
      ...SYS_DEL,
      'OwnerId:reference>User|Group/Owner',
      'Subject:combobox',
      'Status:picklist',
      'Priority:picklist',
      '+WhoId:reference>Contact|Lead/Who',
      '+WhatId:reference>Account|Opportunity/What',
      '+ActivityDate:date',
      '+TaskSubtype:picklist',
      '+Type:picklist',
      '+Description:textarea',
    ],
  },
  Event: {
    prefix: '00U',
    access: pub,
    owned: true,
    fields: [
      ...SYS_DEL,
      'OwnerId:reference>User|Group/Owner',
      'Subject:combobox',
      '+WhoId:reference>Contact|Lead/Who',
      '+WhatId:reference>Account|Opportunity/What',
      '+ActivityDate:date',
      '+ActivityDateTime:datetime',
      '+DurationInMinutes:int',
      '+Type:picklist',
      '+Description:textarea',
      '+Location:string',
    ],
  },
  TaskRelation: {
    feature: 'sharedActivities',
    prefix: '0RT',
    access: pub,
    fields: [
      ...SYS_DEL,
      'TaskId:reference>Task/Task',
      'RelationId:reference>Contact|Lead|User/Relation',
      'IsWhat:boolean',
    ],
  },
  EventRelation: {
    feature: 'sharedActivities',
    prefix: '0RE',
    access: pub,
    fields: [
      ...SYS_DEL,
      'EventId:reference>Event/Event',
      'RelationId:reference>Contact|Lead|User/Relation',
      'IsInvitee:boolean',
      'IsParent:boolean',
      'Status:picklist',
    ],
  },
  Period: {
    prefix: '026',
    access: pub,
    fields: [
      ...SYS,
      'Type:picklist',
      'StartDate:date',
      'EndDate:date',
      'Number:int',
      'FiscalYearSettingsId:reference>FiscalYearSettings/FiscalYearSettings',
      'IsForecastPeriod:boolean',
    ],
  },
  FiscalYearSettings: {
    prefix: '022',
    access: pub,
    fields: [
      ...SYS,
      'Name:string',
      'StartDate:date',
      'EndDate:date',
      'IsStandardYear:boolean',
      'PeriodId:reference>Period/Period',
    ],
  },
  CurrencyType: {
    prefix: '02B',
    access: pub,
    multiCurrencyOnly: true,
    fields: [
      ...SYS,
      '+IsoCode:picklist',
      '+ConversionRate:double',
      '+DecimalPlaces:int',
      '+IsActive:boolean',
      '+IsCorporate:boolean',
    ],
  },
  DatedConversionRate: {
    prefix: '04w',
    access: pub,
    multiCurrencyOnly: true,
    feature: 'advancedCurrencyManagement',
    fields: [...SYS, 'IsoCode:picklist', 'ConversionRate:double', 'StartDate:date', 'NextStartDate:date'],
  },
};

const GETTERS: Record<string, (rec: Rec) => unknown> = {
  'User.Name': fullName,
  'Contact.Name': fullName,
  'Lead.Name': fullName,
};
const addressGetter = (prefix: string) => (r: Rec) => {
  const parts = {
    street: r[`${prefix}Street`],
    city: r[`${prefix}City`],
    state: r[`${prefix}State`],
    postalCode: r[`${prefix}PostalCode`],
    country: r[`${prefix}Country`],
  };
  if (Object.values(parts).every((v) => v == null)) return null;
  return {
    city: parts.city ?? null,
    country: parts.country ?? null,
    geocodeAccuracy: null,
    latitude: null,
    longitude: null,
    postalCode: parts.postalCode ?? null,
    state: parts.state ?? null,
    street: parts.street ?? null,
  };
};

export function parseFieldSpec(objectName: string, spec: string): FieldDef {
  const m = /^(\+?)([A-Za-z0-9_]+):([a-zA-Z]+)(?:>([A-Za-z0-9_|]+)\/([A-Za-z0-9_]+))?(?:@([A-Za-z0-9_]+))?$/.exec(spec);
  if (!m) throw new Error(`bad field spec ${objectName}.${spec}`);
  const [, plus, name, type, targets, rel, compound] = m as unknown as [
    string,
    string,
    string,
    string,
    string?,
    string?,
    string?,
  ];
  const def: FieldDef = {
    name,
    type,
    permissionable: plus === '+',
    referenceTo: targets ? targets.split('|') : [],
    relationshipName: rel ?? null,
    flsKey: compound ?? name,
    custom: name.endsWith('__c'),
  };
  const getter =
    GETTERS[`${objectName}.${name}`] ?? (type === 'address' ? addressGetter(name.replace(/Address$/, '')) : undefined);
  if (getter) def.get = getter;
  return def;
}

export interface CustomFieldSpec {
  name: string;
  type: string;
  referenceTo?: string[];
}

export interface CatalogOptions {
  multiCurrency: boolean;
  customFields: Record<string, CustomFieldSpec[]>;
  /** Features on in the org (default: all). */
  features?: Partial<Record<Feature, boolean>>;
  /** Namespaces of the installed managed packages: a namespaced custom field exists only with its package. */
  namespaces?: string[];
}

/** `peopleai` of `peopleai__Created_by_PeopleAI__c`; null for an unmanaged field (`Region__c`). */
export const namespaceOf = (field: string) => /^([A-Za-z][A-Za-z0-9]*)__\w+__c$/.exec(field)?.[1] ?? null;

export type Catalog = Map<string, ObjectDef>;

/** The org's schema: standard objects, multi-currency objects and fields when on, and the org's custom fields. */
export function buildCatalog(opts: CatalogOptions): Catalog {
  const catalog: Catalog = new Map();
  const on = (f: Feature) => opts.features?.[f] !== false;
  const namespaces = new Set((opts.namespaces ?? []).map((n) => n.toLowerCase()));
  for (const [name, spec] of Object.entries(SPECS)) {
    if (spec.multiCurrencyOnly && !opts.multiCurrency) continue;
    if (spec.feature && !on(spec.feature)) continue;
    const fields = spec.fields
      .map((f) => parseFieldSpec(name, f))
      .filter((f) => !FIELD_FEATURES[`${name}.${f.name}`] || on(FIELD_FEATURES[`${name}.${f.name}`]!));
    if (opts.multiCurrency && (spec.owned || name === 'User'))
      fields.push(parseFieldSpec(name, 'CurrencyIsoCode:picklist'));
    for (const cf of opts.customFields[name] ?? []) {
      const ns = namespaceOf(cf.name);
      if (ns && !namespaces.has(ns.toLowerCase())) continue;
      const ref = cf.referenceTo?.length ? `>${cf.referenceTo.join('|')}/${cf.name.replace(/__c$/, '__r')}` : '';
      fields.push(parseFieldSpec(name, `+${cf.name}:${cf.type}${ref}`));
    }
    const def: ObjectDef = {
      name,
      keyPrefix: spec.prefix,
      access: spec.access,
      fields,
      byLower: new Map(fields.map((f) => [f.name.toLowerCase(), f])),
      byRelationship: new Map(
        fields.filter((f) => f.relationshipName).map((f) => [f.relationshipName!.toLowerCase(), f]),
      ),
    };
    if (spec.multiCurrencyOnly) def.multiCurrencyOnly = true;
    if (spec.owned) def.owned = true;
    if (spec.sharingField) def.sharingField = spec.sharingField;
    catalog.set(name, def);
  }
  return catalog;
}

export const STANDARD_OBJECTS = Object.keys(SPECS);
/** Objects whose access comes from ObjectPermissions rows. */
export const CRUD_OBJECTS = Object.entries(SPECS)
  .filter(([, s]) => s.access.kind === 'crud')
  .map(([n]) => n);
/** Objects with field-level security (FieldPermissions rows). */
export const FLS_OBJECTS = Object.entries(SPECS)
  .filter(([, s]) => s.fields.some((f) => f.startsWith('+')))
  .map(([n]) => n);
