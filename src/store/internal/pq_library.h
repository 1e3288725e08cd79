// libpq, opened when a PostgreSQL store is first connected
// (core/lazy_library.h): the default SQLite store never needs it.
#pragma once

#include <libpq-fe.h>

#include "core/lazy_library.h"

namespace ik::store::internal {

#define IK_PQ_FUNCTIONS(X)                                                                                             \
    X(PQclear)                                                                                                         \
    X(PQconnectPoll)                                                                                                   \
    X(PQconnectStartParams)                                                                                            \
    X(PQconninfoFree)                                                                                                  \
    X(PQconninfoParse)                                                                                                 \
    X(PQconsumeInput)                                                                                                  \
    X(PQerrorMessage)                                                                                                  \
    X(PQfinish)                                                                                                        \
    X(PQflush)                                                                                                         \
    X(PQfreemem)                                                                                                       \
    X(PQgetResult)                                                                                                     \
    X(PQgetlength)                                                                                                     \
    X(PQgetvalue)                                                                                                      \
    X(PQisBusy)                                                                                                        \
    X(PQntuples)                                                                                                       \
    X(PQresultErrorField)                                                                                              \
    X(PQresultErrorMessage)                                                                                            \
    X(PQresultStatus)                                                                                                  \
    X(PQsendPrepare)                                                                                                   \
    X(PQsendQuery)                                                                                                     \
    X(PQsendQueryParams)                                                                                               \
    X(PQsendQueryPrepared)                                                                                             \
    X(PQsetNoticeProcessor)                                                                                            \
    X(PQsetnonblocking)                                                                                                \
    X(PQsocket)                                                                                                        \
    X(PQstatus)

IK_LAZY_API(PqApi, IK_PQ_FUNCTIONS)

const LazyLibrary<PqApi>& libpq();

// The functions, once PgConn::connect() has opened the library.
inline const PqApi& pq()
{
    return libpq().api();
}

} // namespace ik::store::internal
