/**
 * What the integration user needs, transcribed from reference/salesforce-permissions.txt (SPEC section 6).
 * The check and the sync gate iterate over these tables; adding a field is a one-line change here plus
 * the article test. The article names the product "Backstory"; our admins see "Roster" instead.
 */

export const ARTICLE_PRODUCT = 'Backstory';
export const PRODUCT = 'Roster';

export type Severity = 'required' | 'recommended';

/** The PermissionSet / UserPermissionAccess field behind each system permission the article names. */
export const systemPermissionLabels = {
  PermissionsViewAllData: 'View All Data',
  PermissionsApiEnabled: 'API Enabled',
  PermissionsViewAllUsers: 'View All Users',
  PermissionsEditEvent: 'Edit Events',
  PermissionsEditTask: 'Edit Tasks',
  PermissionsViewSetup: 'View Setup and Configuration',
  PermissionsViewRoles: 'View Roles and Role Hierarchy',
  PermissionsManageUsers: 'Manage Users',
  PermissionsModifyAllData: 'Modify All Data',
} as const;
export type SystemPermission = keyof typeof systemPermissionLabels;
export const SYSTEM_PERMISSION_FIELDS = Object.keys(systemPermissionLabels) as SystemPermission[];

/** Setup's dependencies: granting the key also grants each listed permission (salesforce-facts.md). */
export const impliedPermissions: Partial<Record<SystemPermission, SystemPermission[]>> = {
  PermissionsModifyAllData: [
    'PermissionsViewAllData',
    'PermissionsEditTask',
    'PermissionsEditEvent',
    'PermissionsViewSetup',
  ],
  PermissionsViewAllData: ['PermissionsViewSetup'],
  PermissionsManageUsers: ['PermissionsViewAllUsers', 'PermissionsViewSetup'],
  PermissionsViewSetup: ['PermissionsViewRoles'],
};

/** "Integration User": a dedicated, licensed user at the top of the role hierarchy. */
export const integrationUser = {
  suggestedName: `${PRODUCT} Integration User`,
  license: 'Salesforce',
  requirements: [
    { id: 'user.active', label: 'The integration user is active', severity: 'required' },
    { id: 'user.licensed', label: 'The integration user has a Salesforce user license', severity: 'required' },
    {
      id: 'user.topOfRoleHierarchy',
      label: 'The integration user is at the top of the role hierarchy',
      severity: 'required',
    },
  ],
} as const satisfies {
  suggestedName: string;
  license: string;
  requirements: readonly { id: string; label: string; severity: Severity }[];
};

/** "Three permissions are required: View All Data, API Enabled, and View All Users." */
export const requiredSystemPermissions = [
  'PermissionsViewAllData',
  'PermissionsApiEnabled',
  'PermissionsViewAllUsers',
] as const satisfies readonly SystemPermission[];

/**
 * Edit Events and Edit Tasks come with options A and C and the least-privilege alternative, and
 * EventRelation / TaskRelation inherit from them; option B does not list them, so they only warn.
 */
export const recommendedSystemPermissions = [
  'PermissionsEditEvent',
  'PermissionsEditTask',
] as const satisfies readonly SystemPermission[];

/** The three ways the article grants the system permissions, by the integration user's profile type. */
export const grantPaths = {
  systemAdministratorProfile: {
    option: 'A',
    title: 'System Administrator Profile (Recommended)',
    profileName: 'System Administrator',
    grants: requiredSystemPermissions,
  },
  customProfile: {
    option: 'B',
    title: 'Custom Profile',
    setupPath: 'Setup > Users > Profiles',
    systemPermissions: ['PermissionsViewAllData', 'PermissionsApiEnabled', 'PermissionsViewAllUsers'],
  },
  standardProfileWithPermissionSet: {
    option: 'C',
    title: 'Standard Profile with Permission Set',
    setupPath: 'Setup > Users > Permission Sets',
    permissionSetName: `${PRODUCT} Standard Permissions`,
    systemPermissions: ['PermissionsEditEvent', 'PermissionsEditTask', 'PermissionsApiEnabled'],
    userPermissions: ['PermissionsViewAllData', 'PermissionsViewAllUsers'],
  },
} as const;

/** Where an org's security policies prohibit View All Data: this set stands in for it. */
export const leastPrivilegeAlternative = {
  replaces: 'PermissionsViewAllData',
  viewAllOn: ['Account', 'Contact', 'Lead', 'Opportunity'],
  systemPermissions: ['PermissionsEditEvent', 'PermissionsEditTask'],
  administrativePermissions: ['PermissionsViewSetup'],
  /** "This automatically grants View Role and Role Hierarchy, which is also required." */
  brings: ['PermissionsViewRoles'],
  /** "any additional objects that interact with the above via automations, including Tasks and Events" */
  viewAllOnAutomationObjects: ['Task', 'Event'],
  caveat: 'Note that troubleshooting trigger exceptions will become your responsibility in this case.',
} as const;

/**
 * Activities have no object permissions in Salesforce (salesforce-facts.md): Edit Tasks / Edit Events
 * and sharing govern them, so "View All on Tasks and Events" is checked through these.
 */
export const activityPermission = { Task: 'PermissionsEditTask', Event: 'PermissionsEditEvent' } as const;

export type ObjectPermission = 'viewAll' | 'edit' | 'create' | 'delete' | 'modifyAll';
export const objectPermissionLabels: Record<ObjectPermission, string> = {
  viewAll: 'View All',
  edit: 'Edit',
  create: 'Create',
  delete: 'Delete',
  modifyAll: 'Modify All',
};
/** The ObjectPermissions column behind each permission. */
export const objectPermissionFields: Record<ObjectPermission, string> = {
  viewAll: 'PermissionsViewAllRecords',
  edit: 'PermissionsEdit',
  create: 'PermissionsCreate',
  delete: 'PermissionsDelete',
  modifyAll: 'PermissionsModifyAllRecords',
};

export interface ObjectRequirement {
  viewAll: boolean;
  edit: boolean;
  create: boolean;
  delete: boolean;
  why: string;
  /** The Organization field holding the object's org-wide default. */
  sharingField: string;
}

/** The object permission table; Modify All is also required where the object's org-wide default is Private. */
export const objectRequirements = {
  Account: {
    viewAll: true,
    edit: true,
    create: false,
    delete: false,
    why: 'Used to match activities to accounts and write aggregated fields.',
    sharingField: 'DefaultAccountAccess',
  },
  Contact: {
    viewAll: true,
    edit: true,
    create: true,
    delete: true,
    why: `Used to match activities to contacts and update titles and phone numbers. Delete is reserved for contacts created by ${PRODUCT} for support purposes.`,
    sharingField: 'DefaultContactAccess',
  },
  Lead: {
    viewAll: true,
    edit: true,
    create: true,
    delete: false,
    why: 'Used to match activities to leads and write aggregated fields. Create is reserved for future enhancements.',
    sharingField: 'DefaultLeadAccess',
  },
  Opportunity: {
    viewAll: true,
    edit: true,
    create: false,
    delete: false,
    why: 'Used to match activities to opportunities and write aggregated fields.',
    sharingField: 'DefaultOpportunityAccess',
  },
} as const satisfies Record<string, ObjectRequirement>;
export type PermissionedObject = keyof typeof objectRequirements;

/** Org-wide default values: `None` is how the API spells Private; ControlledByParent defers to the parent. */
export const sharingDefaults = {
  privateValue: 'None',
  controlledByParent: 'ControlledByParent',
  parent: { Contact: 'Account' } as Partial<Record<PermissionedObject, PermissionedObject>>,
  modifyAllNote:
    'If your organization uses Private sharing settings on any object above, the integration user also needs the Modify All Records permission for that object. Without it, some sync processes may fail.',
} as const;

export type InheritSource = { object: string } | { systemPermission: SystemPermission };

/** "Inherited Object Permissions": no configuration needed, each comes with its source. */
export const inheritedObjects = {
  AccountTeamMember: { object: 'Account' },
  EventRelation: { systemPermission: 'PermissionsEditEvent' },
  FiscalYearSettings: { systemPermission: 'PermissionsViewAllData' },
  Group: { systemPermission: 'PermissionsManageUsers' },
  LeadHistory: { object: 'Lead' },
  LeadStatus: { object: 'Lead' },
  OpportunityContactRole: { object: 'Opportunity' },
  OpportunityHistory: { object: 'Opportunity' },
  OpportunityStage: { object: 'Opportunity' },
  OpportunityTeamMember: { object: 'Opportunity' },
  Organization: { systemPermission: 'PermissionsViewAllData' },
  Profile: { systemPermission: 'PermissionsManageUsers' },
  TaskRelation: { systemPermission: 'PermissionsEditTask' },
  User: { systemPermission: 'PermissionsManageUsers' },
  UserLicense: { systemPermission: 'PermissionsManageUsers' },
  UserRole: { systemPermission: 'PermissionsManageUsers' },
} as const satisfies Record<string, InheritSource>;

/** "We recommend granting Read Access to all fields in the following objects." */
export const readAllFieldsRecommended = [
  'Account',
  'Contact',
  'Event',
  'Lead',
  'Opportunity',
  'Period',
  'Task',
] as const;

/**
 * "Minimum Required Field Permissions". The article runs two Task fields together
 * ("peopleai__Created_by_PeopleAI__cWhatId"): its intent is peopleai__Created_by_PeopleAI__c and WhatId.
 */
export const fieldRequirements = {
  Account: {
    required: ['CreatedById', 'Name', 'OwnerId'],
    recommended: [
      'AnnualRevenue',
      'BillingAddress',
      'Industry',
      'NumberOfEmployees',
      'Ownership',
      'ParentId',
      'RecordTypeId',
      'ShippingAddress',
      'Type',
      'Website',
    ],
  },
  Contact: {
    required: ['AccountId', 'CreatedDate', 'Name', 'OwnerId', 'Title'],
    recommended: ['AssistantPhone', 'Department', 'HomePhone', 'MailingAddress', 'MobilePhone', 'OtherPhone', 'Phone'],
  },
  Event: {
    required: [
      'ActivityDate',
      'CreatedById',
      'LastModifiedById',
      'OwnerId',
      'peopleai__Created_by_PeopleAI__c',
      'Type',
    ],
    recommended: [],
  },
  Lead: {
    required: ['Company', 'CreatedById', 'Name', 'OwnerId', 'Status'],
    recommended: ['AnnualRevenue', 'Industry', 'MobilePhone', 'Phone', 'Rating', 'Title', 'Website'],
  },
  Opportunity: {
    required: ['AccountId', 'CloseDate', 'CreatedById', 'Name', 'OwnerId', 'StageName'],
    recommended: [
      'Amount',
      'ExpectedRevenue',
      'ForecastCategoryName',
      'LeadSource',
      'Probability',
      'RecordTypeId',
      'Territory2Id',
      'Type',
    ],
  },
  Task: {
    required: ['CreatedById', 'OwnerId', 'peopleai__Created_by_PeopleAI__c', 'WhatId', 'WhoId'],
    recommended: ['Priority', 'Status', 'TaskSubtype'],
  },
} as const satisfies Record<string, { required: readonly string[]; recommended: readonly string[] }>;

/** "Inherited Field Permissions": also required, readable through permissions already granted. */
export const inheritedFields = {
  Account: ['CreatedDate', 'Id', 'IsDeleted', 'LastModifiedById', 'SystemModstamp'],
  AccountTeamMember: ['AccountId', 'CreatedDate', 'Id', 'IsDeleted', 'SystemModstamp', 'TeamMemberRole', 'UserId'],
  Contact: ['AccountId', 'CreatedDate', 'Id', 'IsDeleted', 'SystemModstamp'],
  CurrencyType: ['CreatedDate', 'DecimalPlaces', 'Id', 'IsActive', 'IsCorporate', 'IsoCode', 'SystemModstamp'],
  DatedConversionRate: [
    'ConversionRate',
    'CreatedDate',
    'Id',
    'IsoCode',
    'NextStartDate',
    'StartDate',
    'SystemModstamp',
  ],
  Event: ['CreatedDate', 'Id', 'SystemModstamp'],
  FiscalYearSettings: ['EndDate', 'Id', 'IsStandardYear', 'Name', 'StartDate', 'SystemModstamp'],
  Group: ['CreatedDate', 'Id', 'Name', 'OwnerId', 'SystemModstamp', 'Type'],
  Lead: [
    'ConvertedAccountId',
    'ConvertedContactId',
    'ConvertedDate',
    'ConvertedOpportunityId',
    'CreatedDate',
    'Id',
    'IsDeleted',
    'SystemModstamp',
  ],
  LeadHistory: ['CreatedDate', 'Field', 'Id', 'LeadId', 'NewValue'],
  LeadStatus: ['ApiName', 'CreatedDate', 'IsConverted', 'IsDefault', 'SortOrder', 'SystemModstamp'],
  Opportunity: ['CreatedDate', 'Id', 'IsClosed', 'IsDeleted', 'IsWon', 'LastModifiedById', 'SystemModstamp'],
  OpportunityContactRole: [
    'ContactId',
    'CreatedDate',
    'Id',
    'IsDeleted',
    'IsPrimary',
    'OpportunityId',
    'Role',
    'SystemModstamp',
  ],
  OpportunityHistory: [
    'Amount',
    'CloseDate',
    'CreatedDate',
    'Id',
    'OpportunityId',
    'Probability',
    'StageName',
    'SystemModstamp',
  ],
  OpportunityStage: ['ApiName', 'CreatedDate', 'IsActive', 'IsClosed', 'IsWon', 'SortOrder', 'SystemModstamp'],
  OpportunityTeamMember: [
    'CreatedDate',
    'Id',
    'IsDeleted',
    'Name',
    'OpportunityAccessLevel',
    'OpportunityId',
    'SystemModstamp',
    'TeamMemberRole',
    'Title',
    'UserId',
  ],
  Profile: ['Id', 'SystemModstamp', 'UserLicenseId'],
  User: ['CreatedDate', 'Id', 'IsActive', 'ProfileId', 'SystemModstamp', 'TimeZoneSidKey'],
  UserLicense: ['Id', 'LicenseDefinitionKey', 'SystemModstamp'],
  UserRole: ['Id', 'LastModifiedById', 'Name', 'ParentRoleId', 'PortalAccountId', 'SystemModstamp'],
} as const satisfies Record<string, readonly string[]>;

/**
 * Objects that exist only while a feature is on (absent from describeGlobal otherwise): their items are "not
 * applicable" then, never missing. Each is keyed on its own presence (DatedConversionRate needs Advanced Currency
 * Management beyond multi-currency).
 */
export const featureObjects: Record<string, string> = {
  AccountTeamMember: 'Account Teams',
  OpportunityTeamMember: 'Team Selling',
  CurrencyType: 'Multi-currency',
  DatedConversionRate: 'Advanced Currency Management',
  TaskRelation: 'Shared Activities',
  EventRelation: 'Shared Activities',
};

/** Fields that exist only with a feature, which the named object's presence in describeGlobal shows. */
export const featureFields: Record<string, { feature: string; object: string }> = {
  'Opportunity.Territory2Id': { feature: 'Enterprise Territory Management', object: 'Territory2' },
};

/** The namespace of a managed package's field (`peopleai` of `peopleai__Created_by_PeopleAI__c`), else null. */
export const namespaceOf = (field: string) => /^([A-Za-z][A-Za-z0-9]*)__\w+__c$/.exec(field)?.[1] ?? null;

/** "These fields only exist if Multi-Currency is enabled in Salesforce." */
export const multiCurrencyOnlyObjects = ['CurrencyType', 'DatedConversionRate'] as const;
export const multiCurrencyCheck = 'Setup > Company Settings > Company Information > Activate Multiple Currencies';

/** The FAQ's advice for validation rules or flows that block the integration user's updates. */
export const validationRuleAdvice = {
  errorCodes: ['FIELD_CUSTOM_VALIDATION_EXCEPTION', 'CANNOT_EXECUTE_FLOW_TRIGGER'],
  advice: (profileName: string) =>
    `Some orgs have validation rules or flows that prevent ${PRODUCT} from updating fields installed with the managed package. ` +
    `If this happens, ask a Salesforce admin to update each affected validation rule to exempt the ${PRODUCT} integration user. ` +
    `They can do this by adding a condition like $Profile.Name != '${profileName}', or by referencing the integration user's profile or role in the rule logic.`,
} as const;

/** Every object whose fields the manifest names (required, recommended or inherited). */
export const manifestObjects = [...new Set([...Object.keys(fieldRequirements), ...Object.keys(inheritedFields)])];

export interface ObjectFields {
  required: string[];
  recommended: string[];
  inherited: string[];
}

/** The manifest's field lists for one object (empty lists for objects it does not name). */
export function fieldsOf(object: string): ObjectFields {
  const own = (fieldRequirements as Record<string, { required: readonly string[]; recommended: readonly string[] }>)[
    object
  ];
  const inherited = (inheritedFields as Record<string, readonly string[]>)[object] ?? [];
  return {
    required: [...(own?.required ?? [])],
    recommended: [...(own?.recommended ?? [])],
    inherited: [...inherited],
  };
}

/** Required for a sync to read the object: the required fields and the inherited ones (which the article also requires). */
export function requiredFieldsOf(object: string): string[] {
  const { required, inherited } = fieldsOf(object);
  return [...new Set([...required, ...inherited])];
}
