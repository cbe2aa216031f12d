/* byok-provider-bill-private.h — shared by byok-provider-bill.c and
 * byok-provider-bill-keys.c (whose key the organization's usage was on) */
#pragma once

#include "byok-provider-bill.h"

G_BEGIN_DECLS

ByokBillDay *_byok_bill_find_day                   (ByokBill            *bill,
                                                   const char          *day);
char        *_byok_bill_utc_day                    (gint64               unix_seconds);
const char  *_byok_bill_provider_name              (ByokClient          *client,
                                                   const char          *provider_id);

void         _byok_provider_bill_read_keys_async   (ByokClient          *client,
                                                   ByokBill            *bill,
                                                   const char          *key,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean     _byok_provider_bill_read_keys_finish  (ByokClient          *client,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
