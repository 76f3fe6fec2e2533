// Allocation of cases (MODEL.md sections 4 and 14), checked directly against
// figures worked by hand: cases add up to demand, the band weights set the
// ratio between bands, a band at its cap keeps the cap and the others share
// its excess, and what nobody can hold goes to practice managers, then stays
// unallocated.
#include <gtest/gtest.h>

#include <limits>

#include "model/allocation.hpp"
#include "model_fixture.hpp"

namespace wfsim::model {
namespace {

constexpr double kNoCap = std::numeric_limits<double>::infinity();
const BandValues kCapacity{100, 200, 300};  // standard caseload capacity (cases) by band
const BandValues kWeights{1.25, 1.05, 1.0};
constexpr double kAgencyCapacity = 50;

double cases_held(const CaseAllocation& a, const BandValues& capacity, double agency_capacity) {
  return a.band_ratio[0] * capacity[0] + a.band_ratio[1] * capacity[1] + a.band_ratio[2] * capacity[2] +
         a.agency_ratio * agency_capacity;
}

TEST(Allocation, WithoutCapsCasesAddUpToDemandInProportionToWeightedCapacity) {
  // Weighted capacity 1.25*100 + 1.05*200 + 300 + 50 = 685 cases; 1,000 cases
  // give a ratio of 1000/685 = 1.459854 before the weights.
  const auto a = allocate(1000, kCapacity, kAgencyCapacity, kWeights, {kNoCap, kNoCap, kNoCap});
  EXPECT_NEAR(a.band_ratio[0], 1.824818, 1e-6);  // 1.25 * 1.459854
  EXPECT_NEAR(a.band_ratio[1], 1.532847, 1e-6);  // 1.05 * 1.459854
  EXPECT_NEAR(a.band_ratio[2], 1.459854, 1e-6);
  EXPECT_NEAR(a.agency_ratio, 1.459854, 1e-6);
  EXPECT_NEAR(cases_held(a, kCapacity, kAgencyCapacity), 1000, 1e-9);
  EXPECT_NEAR(a.load_ratio, 1000.0 / 650, 1e-12);  // against standard capacity, unweighted
  EXPECT_NEAR(a.held_load_ratio, a.load_ratio, 1e-12);
  EXPECT_EQ(a.held_by_managers, 0);
  EXPECT_EQ(a.unallocated_cases, 0);
}

TEST(Allocation, EqualWeightsGiveEveryBandTheSameRatio) {
  const auto a = allocate(1300, kCapacity, kAgencyCapacity, {1, 1, 1}, {kNoCap, kNoCap, kNoCap});
  for (const double ratio : a.band_ratio) EXPECT_NEAR(ratio, 2.0, 1e-12);
  EXPECT_NEAR(a.agency_ratio, 2.0, 1e-12);
}

TEST(Allocation, ACappedBandKeepsItsCapAndTheOthersShareItsExcess) {
  // Newly qualified capped at 1.2: they hold 120 cases; the other 880 go over
  // 1.05*200 + 300 + 50 = 560 weighted cases: a ratio of 1.571429.
  const auto a = allocate(1000, kCapacity, kAgencyCapacity, kWeights, {1.2, kNoCap, kNoCap});
  EXPECT_DOUBLE_EQ(a.band_ratio[0], 1.2);
  EXPECT_NEAR(a.band_ratio[1], 1.65, 1e-9);  // 1.05 * 880/560
  EXPECT_NEAR(a.band_ratio[2], 1.571429, 1e-6);
  EXPECT_NEAR(a.agency_ratio, 1.571429, 1e-6);
  EXPECT_NEAR(cases_held(a, kCapacity, kAgencyCapacity), 1000, 1e-9);
  EXPECT_EQ(a.unallocated_cases, 0);
}

TEST(Allocation, CapsCascadeWhenTheExcessPushesAnotherBandOverItsCap) {
  // After band 0 is capped (120 cases) band 1 would take 1.65 > 1.5, so it
  // is capped too (300 cases); 580 cases go over 350: 1.657143.
  const auto a = allocate(1000, kCapacity, kAgencyCapacity, kWeights, {1.2, 1.5, kNoCap});
  EXPECT_DOUBLE_EQ(a.band_ratio[0], 1.2);
  EXPECT_DOUBLE_EQ(a.band_ratio[1], 1.5);
  EXPECT_NEAR(a.band_ratio[2], 1.657143, 1e-6);
  EXPECT_NEAR(a.agency_ratio, 1.657143, 1e-6);
  EXPECT_NEAR(cases_held(a, kCapacity, kAgencyCapacity), 1000, 1e-9);
}

TEST(Allocation, AgencyCeilingMovesItsExcessOntoThePermanentStaff) {
  // Agency capped at 1.0 (50 cases): 950 over 635 weighted: 1.496063.
  const auto a = allocate(1000, kCapacity, kAgencyCapacity, kWeights, {kNoCap, kNoCap, kNoCap}, 1.0);
  EXPECT_DOUBLE_EQ(a.agency_ratio, 1.0);
  EXPECT_NEAR(a.band_ratio[2], 1.496063, 1e-6);
  EXPECT_NEAR(a.band_ratio[0], 1.870079, 1e-6);
  EXPECT_NEAR(cases_held(a, kCapacity, kAgencyCapacity), 1000, 1e-9);
}

TEST(Allocation, WhatNoCaseHolderCanTakeGoesToManagersThenStaysUnallocated) {
  // Everyone capped at 1.0 holds 650 cases; of the other 350, managers hold
  // their capacity of 100 and 250 stay unallocated.
  const auto a = allocate(1000, kCapacity, kAgencyCapacity, kWeights, {1.0, 1.0, 1.0}, 1.0, 100);
  EXPECT_NEAR(cases_held(a, kCapacity, kAgencyCapacity), 650, 1e-9);
  EXPECT_NEAR(a.held_by_managers, 100, 1e-9);
  EXPECT_NEAR(a.unallocated_cases, 250, 1e-9);
  EXPECT_NEAR(a.held_load_ratio, 1.0, 1e-12);  // (1000 - 350) / 650
  EXPECT_NEAR(a.load_ratio, 1000.0 / 650, 1e-12);
  // Managers with more room than the excess hold all of it.
  const auto roomy = allocate(1000, kCapacity, kAgencyCapacity, kWeights, {1.0, 1.0, 1.0}, 1.0, 500);
  EXPECT_NEAR(roomy.held_by_managers, 350, 1e-9);
  EXPECT_EQ(roomy.unallocated_cases, 0);
}

TEST(Allocation, NobodyToHoldCasesLeavesThemWithManagersOrUnallocated) {
  const auto a = allocate(100, {0, 0, 0}, 0, kWeights, {kNoCap, kNoCap, kNoCap}, kNoCap, 30);
  EXPECT_DOUBLE_EQ(a.load_ratio, 100.0);  // against one notional worker, not infinity
  EXPECT_NEAR(a.held_by_managers, 30, 1e-12);
  EXPECT_NEAR(a.unallocated_cases, 70, 1e-12);
}

TEST(Allocation, MonthTermsTakeTheLowerOfTheCapPolicyAndTheManagementCeiling) {
  Parameters p = test::baseline_parameters();  // standard caseloads 15, 20, 23
  p.response.caseload_ceiling_by_band = {30, 20, -1};
  p.policies.caseload_cap.enabled = true;
  p.policies.caseload_cap.start_month = 6;
  p.policies.caseload_cap.cap_cases = {18, 24, 28};
  const auto before = allocation_terms(p, 5);
  EXPECT_DOUBLE_EQ(before.ratio_cap[0], 2.0);  // the ceiling: 30 / 15
  EXPECT_DOUBLE_EQ(before.ratio_cap[1], 1.0);  // 20 / 20
  EXPECT_EQ(before.ratio_cap[2], kNoCap);      // no ceiling, no cap yet
  const auto after = allocation_terms(p, 6);
  EXPECT_DOUBLE_EQ(after.ratio_cap[0], 1.2);          // the cap: 18 / 15
  EXPECT_DOUBLE_EQ(after.ratio_cap[1], 1.0);          // the ceiling stays lower than 24 / 20
  EXPECT_DOUBLE_EQ(after.ratio_cap[2], 28.0 / 23.0);  // the cap
}

TEST(Allocation, TheMonthsAllocationAppliesTheScenariosBandWeights) {
  const Parameters p = test::baseline_parameters();  // weights 1.25, 1.05, 1.0; no caps or ceilings
  // 685 cases over the weighted capacity of 685: each band at its weight.
  const auto month = allocate_month(p, allocation_terms(p, 0), 685, kCapacity, kAgencyCapacity, 60, 8, 8);
  EXPECT_NEAR(month.cases.band_ratio[0], 1.25, 1e-12);
  EXPECT_NEAR(month.cases.band_ratio[1], 1.05, 1e-12);
  EXPECT_NEAR(month.cases.band_ratio[2], 1.0, 1e-12);
  EXPECT_NEAR(month.cases.agency_ratio, 1.0, 1e-12);
}

TEST(Allocation, ExtraLeaveShrinksCapacityAndManagersHoldCasesByTheirFte) {
  Parameters p = test::baseline_parameters();
  p.caseload.allocation_weight_by_band = {1, 1, 1};
  p.response.manager_cases = 10;
  p.policies.work_life.enabled = true;
  p.policies.work_life.start_month = 0;
  p.policies.work_life.extra_leave_days = 22;  // a tenth of 220 working days
  const auto terms = allocation_terms(p, 0);
  EXPECT_DOUBLE_EQ(terms.availability, 0.9);
  AllocationTerms capped = terms;
  capped.ratio_cap = {1, 1, 1};
  capped.agency_ratio_cap = 1;
  // 1,000 standard cases of permanent capacity, 900 after leave, none agency;
  // 1,000 cases: 100 over the caps, of which 6.5 FTE of managers hold 65.
  const auto month = allocate_month(p, capped, 1000, {200, 300, 500}, 0, 60, 8, 6.5);
  EXPECT_NEAR(month.cases.held_by_managers, 65, 1e-9);
  EXPECT_NEAR(month.cases.unallocated_cases, 35, 1e-9);
  EXPECT_NEAR(month.span, 7.5, 1e-12);             // 60 case holders over 8 managers
  EXPECT_NEAR(month.overstretch, 0.5 / 7, 1e-12);  // standard span 7
}

}  // namespace
}  // namespace wfsim::model
