using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Grid.Stripe.Api;
using Grid.Stripe.Api.Errors;
using Grid.Stripe.TestKit.StandIn;
using Grid.Stripe.Tests.Api.Support;
using Microsoft.Extensions.Logging;

namespace Grid.Stripe.Tests.Api;

public sealed class StripeClientRetryTests
{
    [Fact]
    public async Task A_429_with_Retry_After_is_retried_after_that_wait_with_the_same_key_and_one_session_results()
    {
        await using var h = await StripeHarness.StartAsync();
        h.Stripe.Script(new StandInFault.RateLimited(RetryAfter: "2"));

        var session = await h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None));

        var requests = h.Stripe.Requests;
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("grid:pay_01JD4TOPUP:checkout", r.IdempotencyKey));
        Assert.Equal(requests[0].RawBody, requests[1].RawBody);
        Assert.Equal([TimeSpan.FromSeconds(2)], h.Backoffs);
        Assert.Equal(TimeSpan.FromSeconds(2), requests[1].At - requests[0].At);
        Assert.Equal(1, h.Stripe.CheckoutSessionsCreated);
        Assert.NotNull(h.Stripe.CheckoutSession(session.Id));
    }

    [Fact]
    public async Task Retry_After_given_as_a_date_is_waited_until()
    {
        await using var h = await StripeHarness.StartAsync();
        var until = h.Clock.GetUtcNow().AddSeconds(3).ToString("R", CultureInfo.InvariantCulture);
        h.Stripe.Script(new StandInFault.RateLimited(RetryAfter: until));

        await h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None));

        Assert.Equal([TimeSpan.FromSeconds(3)], h.Backoffs);
    }

    [Fact]
    public async Task A_Retry_After_longer_than_we_wait_ends_the_call_with_the_wait_stripe_asked_for()
    {
        await using var h = await StripeHarness.StartAsync();
        h.Stripe.Script(new StandInFault.RateLimited(RetryAfter: "60"));

        var error = await Assert.ThrowsAsync<StripeRateLimitException>(
            () => h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None)));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal("rate_limit", error.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(60), error.RetryAfter);
        Assert.Single(h.Stripe.Requests);
        Assert.Empty(h.Backoffs);
    }

    [Fact]
    public async Task Rate_limited_on_every_attempt_ends_in_a_rate_limit_error()
    {
        await using var h = await StripeHarness.StartAsync();
        h.Stripe.FailEveryRequest(new StandInFault.RateLimited());

        var error = await Assert.ThrowsAsync<StripeRateLimitException>(
            () => h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None)));

        Assert.Null(error.RetryAfter);
        Assert.Equal(3, h.Stripe.Requests.Count);
        Assert.Equal(0, h.Stripe.CheckoutSessionsCreated);
    }

    [Fact]
    public async Task Two_server_errors_then_success_makes_three_attempts_with_growing_jittered_backoff_and_one_key()
    {
        await using var h = await StripeHarness.StartAsync();
        h.Stripe.Script(new StandInFault.ServerError(), new StandInFault.ServerError(503));

        var session = await h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None));

        Assert.Equal(3, h.Stripe.Requests.Count);
        Assert.Single(h.Stripe.Requests.Select(r => r.IdempotencyKey).Distinct());
        Assert.Equal(1, h.Stripe.CheckoutSessionsCreated);
        Assert.Equal(session.Id, h.Stripe.CheckoutSession(session.Id)?.Id);
        Assert.Equal(2, h.Backoffs.Count);
        Assert.All(h.Backoffs, d => Assert.InRange(d, TimeSpan.FromTicks(1), h.Options.MaxDelay));
        var retries = h.Log.Lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.Text).ToList();
        Assert.Equal(2, retries.Count);
        Assert.Contains("POST /v1/checkout/sessions: attempt 1 failed (HTTP 500, request " + h.Stripe.Requests[0].RequestId + ")", retries[0], StringComparison.Ordinal);
        Assert.Contains("attempt 2 failed (HTTP 503", retries[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task A_server_that_always_fails_gets_exactly_the_attempts_allowed_then_an_api_error(int maxAttempts)
    {
        await using var h = await StripeHarness.StartAsync(o => o.MaxAttempts = maxAttempts);
        h.Stripe.FailEveryRequest(new StandInFault.ServerError());

        var error = await Assert.ThrowsAsync<StripeApiException>(
            () => h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None)));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal("api_error", error.ErrorType);
        Assert.Equal(h.Stripe.Requests[^1].RequestId, error.RequestId);
        Assert.Equal(maxAttempts, h.Stripe.Requests.Count);
        Assert.Equal(maxAttempts - 1, h.Backoffs.Count);
        Assert.All(h.Backoffs, d => Assert.InRange(d, TimeSpan.FromTicks(1), h.Options.MaxDelay));
        Assert.All(h.Stripe.Requests, r => Assert.Equal("grid:pay_01JD4TOPUP:checkout", r.IdempotencyKey));
        Assert.Equal(0, h.Stripe.CheckoutSessionsCreated);
    }

    [Fact]
    public async Task A_proxy_error_page_instead_of_stripe_json_is_retried_and_then_reported_as_such()
    {
        await using var h = await StripeHarness.StartAsync();
        h.Stripe.FailEveryRequest(new StandInFault.HtmlServerError(502));

        var error = await Assert.ThrowsAsync<StripeApiException>(
            () => h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None)));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Null(error.ErrorType);
        Assert.Contains("without Stripe's error object (text/html", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, h.Stripe.Requests.Count);
    }

    [Fact]
    public async Task Stripe_Should_Retry_false_stops_retries_even_for_a_server_error()
    {
        await using var h = await StripeHarness.StartAsync();
        h.Stripe.Script(new StandInFault.ServerError(ShouldRetry: "false"));

        await Assert.ThrowsAsync<StripeApiException>(
            () => h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None)));

        Assert.Single(h.Stripe.Requests);
    }

    [Fact]
    public async Task Stripe_Should_Retry_true_makes_a_conflict_worth_another_attempt()
    {
        await using var h = await StripeHarness.StartAsync();
        h.Stripe.Script(new StandInFault.Error(409, "invalid_request_error", "This object cannot be accessed right now because another API request or Stripe process is currently accessing it.", "lock_timeout", ShouldRetry: "true"));

        var session = await h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None));

        Assert.Equal(2, h.Stripe.Requests.Count);
        Assert.Equal(1, h.Stripe.CheckoutSessionsCreated);
        Assert.NotNull(session.Url);
    }

    [Fact]
    public async Task A_conflict_without_Stripe_Should_Retry_is_not_retried()
    {
        await using var h = await StripeHarness.StartAsync();
        h.Stripe.Script(new StandInFault.Error(409, "invalid_request_error", "Conflict.", "lock_timeout"));

        var error = await Assert.ThrowsAsync<StripeApiException>(
            () => h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None)));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.Single(h.Stripe.Requests);
    }

    [Fact]
    public async Task A_400_card_error_is_a_card_exception_at_once_with_no_retry()
    {
        await using var h = await StripeHarness.StartAsync();
        h.Stripe.Script(new StandInFault.Error(400, "card_error", "Your card was declined.", "card_declined", "generic_decline", ShouldRetry: "true"));

        var error = await Assert.ThrowsAsync<StripeCardException>(
            () => h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None)));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("card_declined", error.ErrorCode);
        Assert.Equal("generic_decline", error.DeclineCode);
        Assert.Single(h.Stripe.Requests);
        Assert.Empty(h.Backoffs);
    }

    [Fact]
    public async Task A_refused_key_is_an_authentication_error_with_no_retry_and_the_key_stays_out_of_logs_and_messages()
    {
        const string wrongKey = "sk_test_51WrongKeyDoNotLeakQ8vT2pX4mN7rL1kJ6hG3fD9sA0zY5wE8uI2oP4aS6dF7gH1jK3lZ9xC5vB2nM8qW4eR6tY0uI3oPwx7A";
        await using var h = await StripeHarness.StartAsync(o => o.SecretKey = wrongKey);
        // A server error first, so the 401 is seen to end the retries rather than come on the last attempt.
        h.Stripe.Script(new StandInFault.ServerError());

        var error = await Assert.ThrowsAsync<StripeAuthenticationException>(
            () => h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None)));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(2, h.Stripe.Requests.Count);
        Assert.All(h.Stripe.Requests, r => Assert.Equal("Bearer " + wrongKey, r.Authorization));
        Assert.Contains("Invalid API Key provided", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey[..^4], error.ToString(), StringComparison.Ordinal);
        var refusal = Assert.Single(h.Log.Lines, l => l.Level == LogLevel.Error);
        Assert.Contains("key ending ..." + wrongKey[^4..], refusal.Text, StringComparison.Ordinal);
        Assert.All(h.Log.Lines, l => Assert.DoesNotContain(wrongKey[..^4], l.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_connection_dropped_after_stripe_created_the_session_is_retried_and_gets_that_same_session()
    {
        await using var h = await StripeHarness.StartAsync();
        h.Stripe.Script(new StandInFault.DropAfterProcessing());

        var session = await h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None));

        Assert.Equal(2, h.Stripe.Requests.Count);
        Assert.Single(h.Stripe.Requests.Select(r => r.IdempotencyKey).Distinct());
        Assert.Equal(1, h.Stripe.CheckoutSessionsCreated);
        Assert.Equal(1, h.Stripe.Replays);
        Assert.NotNull(h.Stripe.CheckoutSession(session.Id));
    }

    [Fact]
    public async Task An_attempt_that_gets_no_answer_times_out_on_the_clock_and_the_call_is_retried()
    {
        await using var h = await StripeHarness.StartAsync();
        h.Stripe.Script(new StandInFault.Hang());
        var timeoutsFired = 0;

        var session = await ClockDriver.RunAsync(
            h.Clock,
            h.Client.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None),
            async due =>
            {
                if (due < h.Options.AttemptTimeout)
                {
                    return true;
                }

                // Only the first attempt hangs: let its timeout fire once the stand-in holds the request.
                if (timeoutsFired++ == 0)
                {
                    await h.Stripe.WaitForHangsAsync(1);
                    return true;
                }

                return false;
            });

        Assert.Equal(2, h.Stripe.Requests.Count);
        Assert.Equal(1, h.Stripe.CheckoutSessionsCreated);
        Assert.Single(h.Stripe.Requests.Select(r => r.IdempotencyKey).Distinct());
        Assert.Contains(h.Options.AttemptTimeout, h.Clock.TimersStarted);
        Assert.NotNull(h.Stripe.CheckoutSession(session.Id));
    }

    [Fact]
    public async Task A_stripe_that_cannot_be_reached_is_tried_the_attempts_allowed_then_reported_as_unreachable()
    {
        var port = FreeLoopbackPort();
        await using var h = await StripeHarness.StartAsync(o => o.ApiBase = new Uri($"http://127.0.0.1:{port}"));

        var error = await Assert.ThrowsAsync<StripeConnectionException>(
            () => h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None)));

        Assert.Null(error.StatusCode);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Contains("in 3 attempt(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("grid:pay_01JD4TOPUP:checkout", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, h.Backoffs.Count);
    }

    [Fact]
    public async Task Retrievals_are_retried_too()
    {
        await using var h = await StripeHarness.StartAsync();
        var created = await h.RunAsync(c => c.CreatePaymentIntentAsync(StripeHarness.AutoReload(StripeStandIn.CardSucceeds), CancellationToken.None));
        h.Stripe.Script(new StandInFault.ServerError(), new StandInFault.RateLimited("1"));

        var charge = await h.RunAsync(c => c.RetrieveChargeAsync(created.LatestChargeId!, CancellationToken.None));

        Assert.Equal(created.LatestChargeId, charge.Id);
        Assert.Equal(["POST", "GET", "GET", "GET"], h.Stripe.Requests.Select(r => r.Method));
        Assert.All(h.Stripe.Requests.Skip(1), r => Assert.Null(r.IdempotencyKey));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_format_error_and_is_not_retried()
    {
        await using var h = await StripeHarness.StartAsync();
        h.Stripe.Script(new StandInFault.MalformedJson());

        var error = await Assert.ThrowsAsync<StripeResponseFormatException>(
            () => h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None)));

        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
        Assert.Equal(h.Stripe.Requests.Single().RequestId, error.RequestId);
        Assert.Contains("not a readable checkout.session", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(error.InnerException);
    }

    [Fact]
    public async Task Json_of_another_kind_of_object_is_a_format_error()
    {
        await using var h = await StripeHarness.StartAsync();
        h.Stripe.Script(new StandInFault.WrongObject());

        var error = await Assert.ThrowsAsync<StripeResponseFormatException>(
            () => h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None)));

        Assert.Contains("not with a checkout.session (object \"balance_transaction\"", error.Message, StringComparison.Ordinal);
        Assert.Single(h.Stripe.Requests);
    }

    [Fact]
    public async Task Cancelling_during_a_backoff_ends_the_call_without_another_attempt()
    {
        await using var h = await StripeHarness.StartAsync();
        h.Stripe.FailEveryRequest(new StandInFault.ServerError());
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ClockDriver.RunAsync(
            h.Clock,
            h.Client.CreateCheckoutSessionAsync(StripeHarness.Checkout(), cancel.Token),
            async due =>
            {
                if (due < h.Options.AttemptTimeout)
                {
                    await cancel.CancelAsync();
                }

                return false;
            }));

        Assert.Single(h.Stripe.Requests);
        Assert.Single(h.Backoffs);
    }

    [Fact]
    public async Task A_client_keeps_the_settings_it_was_made_with()
    {
        await using var h = await StripeHarness.StartAsync(o => o.MaxAttempts = 3);
        h.Options.MaxAttempts = 1;
        h.Stripe.FailEveryRequest(new StandInFault.ServerError());

        await Assert.ThrowsAsync<StripeApiException>(
            () => h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None)));

        Assert.Equal(3, h.Stripe.Requests.Count);
    }

    [Fact]
    public async Task Every_attempt_goes_through_an_injected_handler_which_the_client_leaves_open_when_asked()
    {
        await using var h = await StripeHarness.StartAsync();
        h.Stripe.Script(new StandInFault.ServerError());
        using var counting = new CountingHandler(new SocketsHttpHandler());
        var client = new StripeClient(h.Options, counting, disposeHandler: false, h.Clock, new RecordingLogger<StripeClient>());

        using (client)
        {
            await ClockDriver.RunAsync(
                h.Clock,
                client.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None),
                due => Task.FromResult(due < h.Options.AttemptTimeout));
        }

        Assert.Equal(2, counting.Sends);
        Assert.Equal(2, h.Stripe.Requests.Count);
        using var invoker = new HttpMessageInvoker(counting, disposeHandler: false);
        using var probe = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(h.Stripe.BaseAddress, "/v1/charges/ch_none")), CancellationToken.None);
        Assert.Equal(HttpStatusCode.Unauthorized, probe.StatusCode);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _sends;

        public int Sends => Volatile.Read(ref _sends);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sends);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
