using Grid.Gateway.Auth;
using Grid.Gateway.Dashboard;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Tests.Dashboard;

/// <summary>Dashboard sign-in tokens on a clock moved by hand: renewed by page loads, but never past the sign-in's own bound.</summary>
public sealed class DashboardSessionTests
{
    private readonly ManualTimeProvider _clock = new();

    public DashboardSessionTests() => Start = _clock.GetUtcNow();

    private DateTimeOffset Start { get; }

    [Fact]
    public void A_sign_in_renewed_by_page_loads_lasts_no_longer_than_its_bound()
    {
        var sessions = Sessions();
        var (token, expiresAt) = sessions.Issue();
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromHours(1), expiresAt);

        // A page load every 50 minutes keeps it alive...
        var renewals = 0;
        while (_clock.GetUtcNow() + TimeSpan.FromMinutes(50) < Start + DashboardSessions.MaxSignInAge)
        {
            _clock.Advance(TimeSpan.FromMinutes(50));
            (token, expiresAt) = sessions.Renew(token) ?? throw new Xunit.Sdk.XunitException($"renewal {renewals + 1} refused");
            Assert.True(expiresAt <= Start + DashboardSessions.MaxSignInAge, "a renewal reaches past the sign-in's bound");
            renewals++;
        }

        // ...until the sign-in is MaxSignInAge old: then no renewal and no access, however fresh the last token was.
        Assert.Equal(14, renewals);
        Assert.NotNull(sessions.Verify(token));
        _clock.Advance(Start + DashboardSessions.MaxSignInAge - _clock.GetUtcNow());
        Assert.Null(sessions.Verify(token));
        Assert.Null(sessions.Renew(token));
    }

    [Fact]
    public void A_forged_or_expired_token_is_neither_verified_nor_renewed()
    {
        var sessions = Sessions();
        var (token, _) = sessions.Issue();
        Assert.Null(sessions.Renew(token[..^2] + (token[^2..] == "AA" ? "AB" : "AA")));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(sessions.Verify(token));
        Assert.Null(sessions.Renew(token));
    }

    private DashboardSessions Sessions() => new(
        Options.Create(new AuthOptions { AdminKey = "dashboard-session-admin-key-0123456789", TokenSecret = "dashboard-session-token-secret-0123456789" }),
        Options.Create(new DashboardOptions { SessionLifetime = TimeSpan.FromHours(1) }),
        _clock);
}
