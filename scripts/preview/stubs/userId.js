/** @salesforce/user/Id outside Salesforce: the demo admin. */
export default '005000000000DEMO';
