namespace TechMarket.Scheduling.Tests;

public sealed class RegularFixtureTests
{
    [Theory]
    [InlineData(30, 12)]
    [InlineData(60, 16)]
    [InlineData(100, 20)]
    public void PlacesEveryMeetingInDeltaSlots(int n, int d)
    {
        var input = Fixtures.RegularBipartite(n, d, seed: n + d);

        var result = new MeetingScheduler().Schedule(input);

        Fixtures.AssertValid(input, result);
        Assert.Equal(n * d, result.Meetings.Count);
        Assert.Empty(result.Unplaced);
        Assert.Equal(d, result.SlotsUsed);
        Assert.Equal(d, result.Stats.MaxDegree);
    }

    [Theory]
    [InlineData(30, 12)]
    [InlineData(60, 16)]
    [InlineData(100, 20)]
    public void GreedyFirstFitLosesMeetingsOnTheSameFixtures(int n, int d)
    {
        var input = Fixtures.RegularBipartite(n, d, seed: n + d);

        var placed = FirstFitBaseline.Place(input);

        Assert.True(placed < n * d, $"greedy placed {placed} of {n * d}");
    }
}
