// A small SbomDocument with the cases the writers must get right: an epoch version, a source
// version, mapped, multiple and LicenseRef licences, a package without licences, two packages
// of one name and different architectures, and files no package owns.
#pragma once

#include "audit/sbom_document.h"

namespace plinth::testing {

audit::SbomDocument SampleSbom();

}  // namespace plinth::testing
