using System.Net.Http.Headers;
using System.Text.Json;
using Grid.Chain.Rpc.Json;

namespace Grid.Chain.Rpc.Transport;

/// <summary>
/// One attempt at one JSON-RPC request over HTTP: POSTs the body and returns the parsed answer, or throws a
/// <see cref="ChainRpcException"/> saying what went wrong. Retries are the caller's.
/// </summary>
internal sealed class RpcHttpTransport(HttpClient http, Uri endpoint, TimeProvider time)
{
    /// <summary>
    /// The most of one answer read (it is parsed whole): thousands of logs fit many times over, and an answer past it
    /// (a node or proxy with no limits of its own) is a range too large, which the scan shrinks.
    /// </summary>
    internal const long MaxAnswerBytes = 32 * 1024 * 1024;

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public async Task<JsonDocument> PostAsync(byte[] body, string method, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            // Refused, reset, DNS, TLS: the node is not there right now. The endpoint stays out of the message.
            throw new ChainRpcException(RpcFailureKind.Unavailable, $"{method}: the node could not be reached ({e.HttpRequestError}).", innerException: e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw HttpClientTimeout(method, e);
        }

        using (response)
        {
            if (RpcErrorClassifier.FromHttpStatus(response.StatusCode, method, RetryAfter(response)) is { } failure)
            {
                throw failure;
            }

            var document = await ReadJsonAsync(response, method, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return document ?? throw RpcErrorClassifier.Malformed(method, "the body is not JSON");
            }

            using (document)
            {
                // Some nodes send a JSON-RPC error object with a 4xx status; it says more than the status.
                if (document?.RootElement is { ValueKind: JsonValueKind.Object } root
                    && root.TryGetProperty("error", out var error)
                    && error.ValueKind == JsonValueKind.Object)
                {
                    throw RpcErrorClassifier.FromErrorObject(error, method);
                }

                throw new ChainRpcException(RpcFailureKind.Rejected, $"{method}: the node answered HTTP {(int)response.StatusCode}.");
            }
        }
    }

    private static async Task<JsonDocument?> ReadJsonAsync(HttpResponseMessage response, string method, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = new BoundedReadStream(await response.Content.ReadAsStreamAsync(cancellationToken), MaxAnswerBytes);
            return await JsonDocument.ParseAsync(stream, default, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (AnswerTooLargeException tooLarge)
        {
            throw new ChainRpcException(RpcFailureKind.RangeTooLarge, $"{method}: the answer passed {tooLarge.Limit} bytes.", innerException: tooLarge);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new ChainRpcException(RpcFailureKind.Unavailable, $"{method}: the connection broke while the answer was read.", innerException: e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw HttpClientTimeout(method, e);
        }
    }

    // HttpClient.Timeout (the caller's) rather than ours, which cancels the token.
    private static ChainRpcException HttpClientTimeout(string method, Exception e) =>
        new(RpcFailureKind.Timeout, $"{method}: the HTTP client timed out.", innerException: e);

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
