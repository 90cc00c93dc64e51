using Microsoft.Playwright;

namespace Grid.Browser.Tests.Support;

/// <summary>
/// When the page itself first showed something, on its own clock (the machine's, as the test's is): a latency read this
/// way is the page's, not stretched by a test process a loaded machine schedules late between polls.
/// </summary>
internal static class PageTimes
{
    /// <summary>Starts watching for <paramref name="condition"/> (a JavaScript function of no arguments) under <paramref name="name"/>.</summary>
    public static Task WatchAsync(IPage page, string name, string condition) =>
        // The condition is part of the function Playwright sends, not text the page evaluates: the pages' CSP forbids eval.
        page.EvaluateAsync(
            $$"""
            name => {
              const condition = {{condition}};
              window.__seenAt ??= {};
              const look = () => {
                if (window.__seenAt[name] === undefined && condition()) {
                  window.__seenAt[name] = Date.now();
                  observer.disconnect();
                }
              };
              const observer = new MutationObserver(look);
              observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
              look();
            }
            """,
            name);

    /// <summary>When the page first showed what <paramref name="name"/> watches for; waits up to <paramref name="within"/> for it.</summary>
    public static async Task<DateTimeOffset> SeenAtAsync(IPage page, string name, TimeSpan within)
    {
        var at = await page.WaitForFunctionAsync(
            "name => window.__seenAt?.[name]", name, new PageWaitForFunctionOptions { Timeout = (float)within.TotalMilliseconds });
        return DateTimeOffset.FromUnixTimeMilliseconds((long)await at.JsonValueAsync<double>());
    }
}
