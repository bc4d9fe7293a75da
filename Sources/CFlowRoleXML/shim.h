#ifndef CFLOWROLEXML_SHIM_H
#define CFLOWROLEXML_SHIM_H

/* libxml2 2.9.14 is built with ICU, so its encoding.h includes the system <unicode/ucnv.h>; any
 * Swift module that also sees Foundation (whose _FoundationICU ships its own, newer ICU headers)
 * then fails to build ("'U_MF_…' from module '_FoundationICU' is not present in definition of
 * 'enum UErrorCode' in module 'CFlowRoleXML'"). Nothing in flowrole touches the ICU members of
 * xmlCharEncodingHandler (the only declarations behind this macro), so hide them. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

/* Swift 6 cannot reach C globals such as `xmlFree` directly; reach them here. */
static inline void cflowrole_xml_free(void *pointer) { xmlFree(pointer); }

#endif
