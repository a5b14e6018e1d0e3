#ifndef HOTLINE_CRABBITMQ_SHIM_H
#define HOTLINE_CRABBITMQ_SHIM_H
#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <amqp_ssl_socket.h>
#include <amqp_framing.h>

/* amqp_login is variadic, which Swift cannot call: this wraps the PLAIN mechanism. */
static inline amqp_rpc_reply_t hotline_amqp_login_plain(amqp_connection_state_t state, const char *vhost,
                                                         int frame_max, int heartbeat, const char *user,
                                                         const char *password) {
    return amqp_login(state, vhost, 0, frame_max, heartbeat, AMQP_SASL_METHOD_PLAIN, user, password);
}

/* Method ids are cast macros, which Swift does not import. */
static const amqp_method_number_t HOTLINE_BASIC_ACK = AMQP_BASIC_ACK_METHOD;
static const amqp_method_number_t HOTLINE_BASIC_NACK = AMQP_BASIC_NACK_METHOD;
static const amqp_method_number_t HOTLINE_BASIC_RETURN = AMQP_BASIC_RETURN_METHOD;
static const amqp_method_number_t HOTLINE_BASIC_CANCEL = AMQP_BASIC_CANCEL_METHOD;
static const amqp_method_number_t HOTLINE_CHANNEL_CLOSE = AMQP_CHANNEL_CLOSE_METHOD;
static const amqp_method_number_t HOTLINE_CONNECTION_CLOSE = AMQP_CONNECTION_CLOSE_METHOD;
static const amqp_flags_t HOTLINE_FLAG_CONTENT_TYPE = AMQP_BASIC_CONTENT_TYPE_FLAG;
static const amqp_flags_t HOTLINE_FLAG_DELIVERY_MODE = AMQP_BASIC_DELIVERY_MODE_FLAG;
static const amqp_flags_t HOTLINE_FLAG_CORRELATION_ID = AMQP_BASIC_CORRELATION_ID_FLAG;
static const amqp_flags_t HOTLINE_FLAG_REPLY_TO = AMQP_BASIC_REPLY_TO_FLAG;
static const amqp_flags_t HOTLINE_FLAG_MESSAGE_ID = AMQP_BASIC_MESSAGE_ID_FLAG;
static const amqp_flags_t HOTLINE_FLAG_TIMESTAMP = AMQP_BASIC_TIMESTAMP_FLAG;
static const amqp_flags_t HOTLINE_FLAG_TYPE = AMQP_BASIC_TYPE_FLAG;
static const amqp_flags_t HOTLINE_FLAG_USER_ID = AMQP_BASIC_USER_ID_FLAG;
static const amqp_flags_t HOTLINE_FLAG_HEADERS = AMQP_BASIC_HEADERS_FLAG;
static const amqp_flags_t HOTLINE_FLAG_APP_ID = AMQP_BASIC_APP_ID_FLAG;
#endif
