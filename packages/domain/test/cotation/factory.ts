import type { Demand } from '../../src/demand/types.ts';

/** A plain active demand of the demo EPCI; override what a test is about. */
export function aDemand(overrides: Partial<Demand> = {}): Demand {
  return {
    sneNumber: '0382401000001',
    epci: '200040715',
    household: null,
    registeredOn: '2024-01-15',
    applicantBirthDate: '1985-06-01',
    householdType: 'single',
    persons14OrMore: 1,
    personsUnder14: 0,
    monthlyResourcesEur: 1_500,
    referenceTaxIncomeEur: 18_000,
    currentHousing: 'private-tenant',
    currentCommune: '38185',
    reasons: [],
    desiredCommunes: ['38185'],
    desiredTypologies: [2],
    maxRentEur: null,
    priorityCriteria: [],
    dalo: false,
    urbanRenewalRelocation: false,
    currentSocialTenant: false,
    wheelchairAccess: false,
    status: 'active',
    closedOn: null,
    generated: false,
    ...overrides,
  };
}
