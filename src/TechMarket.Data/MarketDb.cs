using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using TechMarket.Data.Model;

namespace TechMarket.Data;

/// <summary>The market's records. All times are UTC <see cref="DateTime"/> so that both providers can order by them.</summary>
public sealed class MarketDb(DbContextOptions<MarketDb> options)
    : IdentityDbContext<AppUser, IdentityRole<long>, long>(options)
{
    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<BrokerProfile> Brokers => Set<BrokerProfile>();

    public DbSet<Listing> Listings => Set<Listing>();

    public DbSet<Need> Needs => Set<Need>();

    public DbSet<Achievement> Achievements => Set<Achievement>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<ReminderRow> Reminders => Set<ReminderRow>();

    public DbSet<Match> Matches => Set<Match>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<SavedSearch> SavedSearches => Set<SavedSearch>();

    public DbSet<SavedSearchAlert> SavedSearchAlerts => Set<SavedSearchAlert>();

    public DbSet<Campaign> Campaigns => Set<Campaign>();

    public DbSet<MarketEvent> Events => Set<MarketEvent>();

    public DbSet<EventRegistration> EventRegistrations => Set<EventRegistration>();

    public DbSet<EventMeeting> EventMeetings => Set<EventMeeting>();

    public DbSet<CampaignInterest> CampaignInterests => Set<CampaignInterest>();

    public DbSet<CampaignAssignment> CampaignAssignments => Set<CampaignAssignment>();

    public DbSet<CampaignListing> CampaignListings => Set<CampaignListing>();

    public DbSet<BrokerTask> BrokerTasks => Set<BrokerTask>();

    public DbSet<Deal> Deals => Set<Deal>();

    public DbSet<DealBroker> DealBrokers => Set<DealBroker>();
    public DbSet<Challenge> Challenges => Set<Challenge>();

    public DbSet<ChallengeReviewer> ChallengeReviewers => Set<ChallengeReviewer>();

    public DbSet<ChallengeApplication> ChallengeApplications => Set<ChallengeApplication>();

    public DbSet<ChallengeReview> ChallengeReviews => Set<ChallengeReview>();

    public DbSet<ChallengeMilestone> ChallengeMilestones => Set<ChallengeMilestone>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder);

        builder.Entity<AppUser>(e =>
        {
            e.Property(u => u.DisplayName).HasMaxLength(100);
            e.HasOne(u => u.Organisation).WithMany().HasForeignKey(u => u.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Organisation>(e =>
        {
            e.ToTable("Organisations");
            e.Property(o => o.Name).HasMaxLength(200);
            e.Property(o => o.CreditCode).HasMaxLength(18);
            e.HasIndex(o => o.CreditCode).IsUnique();
            e.Property(o => o.District).HasMaxLength(50);
            e.Property(o => o.Fields).HasMaxLength(500);
            e.Property(o => o.Qualifications).HasMaxLength(500);
            e.Property(o => o.Introduction).HasMaxLength(4000);
            e.Property(o => o.Version).IsConcurrencyToken();
            e.Property(o => o.PendingName).HasMaxLength(200);
            e.Property(o => o.NameReviewNote).HasMaxLength(500);
            e.HasIndex(o => o.PendingNameAt);
        });

        builder.Entity<BrokerProfile>(e =>
        {
            e.ToTable("Brokers");
            e.HasIndex(b => b.UserId).IsUnique();
            e.HasIndex(b => b.CertificateNumber).IsUnique();
            e.Property(b => b.CertificateNumber).HasMaxLength(50);
            e.Property(b => b.Agency).HasMaxLength(200);
            e.Property(b => b.District).HasMaxLength(50);
            e.Property(b => b.Specialties).HasMaxLength(500);
            e.HasOne(b => b.User).WithMany().HasForeignKey(b => b.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Listing>(e =>
        {
            e.ToTable("Listings");
            e.HasDiscriminator<string>("Kind").HasValue<Need>("need").HasValue<Achievement>("achievement");
            e.Property<string>("Kind").HasMaxLength(20);
            e.Property(l => l.Title).HasMaxLength(200);
            e.Property(l => l.Summary).HasMaxLength(8000);
            e.Property(l => l.Keywords).HasMaxLength(200);
            e.Property(l => l.Field).HasMaxLength(50);
            e.Property(l => l.ReviewNote).HasMaxLength(2000);
            e.Property(l => l.ContactName).HasMaxLength(50);
            e.Property(l => l.ContactPhone).HasMaxLength(30);
            e.Property(l => l.Version).IsConcurrencyToken();
            e.HasOne(l => l.Organisation).WithMany().HasForeignKey(l => l.OrganisationId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(l => new { l.Status, l.PublishedAt });
            e.HasIndex(l => l.OrganisationId);

            // The figures: supply and demand by field, and published achievements by month, district and field,
            // answered from the index alone.
            e.HasIndex("Kind", nameof(Listing.Status), nameof(Listing.Field), nameof(Listing.PublishedAt), nameof(Listing.OrganisationId));
        });

        builder.Entity<Need>().HasIndex(n => n.MinedByUserId);

        builder.Entity<Need>(e =>
        {
            e.Property(n => n.Problem).HasMaxLength(4000);
            e.Property(n => n.KeyPoints).HasMaxLength(4000);
            e.Property(n => n.Targets).HasMaxLength(4000);
            e.Property(n => n.BudgetWan).HasPrecision(14, 2);
            e.Property(n => n.BountyWan).HasPrecision(14, 2);
            e.Property(n => n.MaturityWanted).HasColumnName("Maturity");
        });

        builder.Entity<Achievement>(e =>
        {
            e.Property(a => a.IntellectualProperty).HasMaxLength(1000);
            e.Property(a => a.PriceWan).HasPrecision(14, 2);
            e.Property(a => a.Maturity).HasColumnName("Maturity");
        });

        builder.Entity<AuditEntry>(e =>
        {
            e.ToTable("AuditLog");
            e.Property(a => a.EntityType).HasMaxLength(50);
            e.Property(a => a.Action).HasMaxLength(50);
            e.HasIndex(a => new { a.EntityType, a.EntityId });
            e.HasIndex(a => a.At);
        });

        builder.Entity<Match>(e =>
        {
            e.ToTable("Matches");
            e.HasIndex(m => new { m.NeedId, m.AchievementId }).IsUnique();
            e.HasIndex(m => m.AchievementId);
            e.Property(m => m.ProposedBy).HasMaxLength(20);
            e.Property(m => m.Reasons).HasMaxLength(2000);
            e.Property(m => m.NeedMessage).HasMaxLength(1000);
            e.Property(m => m.AchievementMessage).HasMaxLength(1000);
            e.Property(m => m.DeclineNote).HasMaxLength(1000);
            e.Property(m => m.Version).IsConcurrencyToken();
            e.HasOne(m => m.Need).WithMany().HasForeignKey(m => m.NeedId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(m => m.Achievement).WithMany().HasForeignKey(m => m.AchievementId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(m => m.BrokerUserId);
        });

        builder.Entity<BrokerTask>(e =>
        {
            e.ToTable("BrokerTasks");
            e.Property(x => x.Field).HasMaxLength(50);
            e.Property(x => x.Note).HasMaxLength(500);
            e.Property(x => x.Outcome).HasMaxLength(500);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasIndex(x => new { x.BrokerUserId, x.Status, x.DueAt });
            e.HasIndex(x => x.MatchId);
        });

        builder.Entity<Notification>(e =>
        {
            e.ToTable("Notifications");
            e.Property(n => n.Kind).HasMaxLength(20);
            e.Property(n => n.Title).HasMaxLength(200);
            e.Property(n => n.Body).HasMaxLength(2000);
            e.Property(n => n.Link).HasMaxLength(300);
            e.HasIndex(n => new { n.UserId, n.CreatedAt });
        });

        builder.Entity<SavedSearch>(e =>
        {
            e.ToTable("SavedSearches");
            e.Property(x => x.Query).HasMaxLength(200);
            e.Property(x => x.Kind).HasMaxLength(20);
            e.Property(x => x.Field).HasMaxLength(50);
            e.Property(x => x.District).HasMaxLength(50);
            e.HasIndex(x => x.UserId);
        });

        builder.Entity<Campaign>(e =>
        {
            e.ToTable("Campaigns");
            e.Property(c => c.Name).HasMaxLength(200);
            e.Property(c => c.Description).HasMaxLength(2000);
            e.Property(c => c.TargetAmountWan).HasPrecision(14, 2);
            e.Property(c => c.PlanSummary).HasMaxLength(500);
            e.Property(c => c.Version).IsConcurrencyToken();
        });

        builder.Entity<CampaignInterest>(e =>
        {
            e.ToTable("CampaignInterests");
            e.Property(x => x.Fields).HasMaxLength(300);
            e.Property(x => x.AvailableDates).HasMaxLength(1000);
            e.Property(x => x.Offers).HasMaxLength(1000);
            e.Property(x => x.Seeks).HasMaxLength(1000);
            e.Property(x => x.ListingIds).HasMaxLength(500);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne<Campaign>().WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.Organisation).WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.CampaignId, x.OrganisationId }).IsUnique();
            e.HasIndex(x => x.OrganisationId);
        });

        builder.Entity<CampaignListing>(e =>
        {
            e.ToTable("CampaignListings");
            e.Property(x => x.Note).HasMaxLength(200);
            e.HasOne<Campaign>().WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.Listing).WithMany().HasForeignKey(x => x.ListingId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.CampaignId, x.ListingId }).IsUnique();
            e.HasIndex(x => x.ListingId);
        });

        builder.Entity<Deal>(e =>
        {
            e.ToTable("Deals");
            e.Property(x => x.Title).HasMaxLength(200);
            e.Property(x => x.AmountWan).HasPrecision(14, 2);
            e.Property(x => x.RegisteredAmountWan).HasPrecision(14, 2);
            e.Property(x => x.District).HasMaxLength(50);
            e.Property(x => x.RegistrationNumber).HasMaxLength(20);
            e.Property(x => x.DecisionNote).HasMaxLength(500);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne(x => x.Buyer).WithMany().HasForeignKey(x => x.BuyerOrganisationId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.Seller).WithMany().HasForeignKey(x => x.SellerOrganisationId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => x.RegistrationNumber).IsUnique();
            e.HasIndex(x => x.Status);
            e.HasIndex(x => x.EventId);
            e.HasIndex(x => x.MatchId);
            e.HasIndex(x => x.BuyerOrganisationId);
            e.HasIndex(x => x.SellerOrganisationId);
        });

        builder.Entity<DealBroker>(e =>
        {
            e.ToTable("DealBrokers");
            e.HasKey(x => new { x.DealId, x.UserId });
            e.HasOne<Deal>().WithMany().HasForeignKey(x => x.DealId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.UserId);
        });

        builder.Entity<CampaignAssignment>(e =>
        {
            e.ToTable("CampaignAssignments");
            e.Property(x => x.Reason).HasMaxLength(500);
            e.Property(x => x.Note).HasMaxLength(300);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne<Campaign>().WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.Interest).WithMany().HasForeignKey(x => x.InterestId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.Event).WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.CampaignId, x.Status });
            e.HasIndex(x => x.InterestId);
            e.HasIndex(x => x.EventId);
        });

        builder.Entity<MarketEvent>(e =>
        {
            e.ToTable("Events");
            e.Property(x => x.Title).HasMaxLength(200);
            e.Property(x => x.Theme).HasMaxLength(1000);
            e.Property(x => x.Fields).HasMaxLength(300);
            e.Property(x => x.Venue).HasMaxLength(200);
            e.Property(x => x.District).HasMaxLength(50);
            e.Property(x => x.ScheduleSummary).HasMaxLength(500);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne(x => x.Campaign).WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => x.StartsAt);
            e.HasIndex(x => x.CampaignId);
        });

        builder.Entity<EventRegistration>(e =>
        {
            e.ToTable("EventRegistrations");
            e.Property(x => x.Offers).HasMaxLength(1000);
            e.Property(x => x.Seeks).HasMaxLength(1000);
            e.Property(x => x.ListingIds).HasMaxLength(500);
            e.Property(x => x.DecisionNote).HasMaxLength(1000);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne(x => x.Event).WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.Organisation).WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
            e.Property(x => x.CheckInCode).HasMaxLength(8);
            e.Property(x => x.UnavailableSlots).HasMaxLength(300);
            e.HasIndex(x => new { x.EventId, x.OrganisationId }).IsUnique();
        });

        builder.Entity<EventMeeting>(e =>
        {
            e.ToTable("EventMeetings");
            e.Property(x => x.Message).HasMaxLength(500);
            e.Property(x => x.ReplyNote).HasMaxLength(500);
            e.Property(x => x.UnplacedReason).HasMaxLength(300);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne<MarketEvent>().WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.Requester).WithMany().HasForeignKey(x => x.RequesterId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.Target).WithMany().HasForeignKey(x => x.TargetId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.EventId, x.RequesterId, x.TargetId });
            e.HasIndex(x => x.TargetId);
        });

        builder.Entity<SavedSearchAlert>(e =>
        {
            e.ToTable("SavedSearchAlerts");
            e.HasKey(x => new { x.SavedSearchId, x.ListingId });
            e.HasIndex(x => x.ListingId);
            e.HasOne<SavedSearch>().WithMany().HasForeignKey(x => x.SavedSearchId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Listing>().WithMany().HasForeignKey(x => x.ListingId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Challenge>(e =>
        {
            e.ToTable("Challenges");
            e.HasKey(c => c.NeedId);
            e.Property(c => c.NeedId).ValueGeneratedNever();
            e.Property(c => c.Requirements).HasMaxLength(4000);
            e.Property(c => c.Version).IsConcurrencyToken();
            e.HasOne(c => c.Need).WithMany().HasForeignKey(c => c.NeedId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(c => c.Status);
        });

        builder.Entity<ChallengeReviewer>(e =>
        {
            e.ToTable("ChallengeReviewers");
            e.HasKey(r => new { r.NeedId, r.UserId });
            e.HasOne<Challenge>().WithMany().HasForeignKey(r => r.NeedId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(r => r.UserId);
        });

        builder.Entity<ChallengeApplication>(e =>
        {
            e.ToTable("ChallengeApplications");
            e.Property(a => a.Plan).HasMaxLength(8000);
            e.Property(a => a.Team).HasMaxLength(2000);
            e.Property(a => a.PriceWan).HasPrecision(14, 2);
            e.Property(a => a.Version).IsConcurrencyToken();
            e.HasIndex(a => new { a.NeedId, a.OrganisationId }).IsUnique();
            e.HasIndex(a => new { a.NeedId, a.ArrivalSeq }).IsUnique();
            e.HasIndex(a => a.OrganisationId);
            e.HasOne<Challenge>().WithMany().HasForeignKey(a => a.NeedId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(a => a.Organisation).WithMany().HasForeignKey(a => a.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<ChallengeReview>(e =>
        {
            e.ToTable("ChallengeReviews");
            e.Property(r => r.Comment).HasMaxLength(2000);
            e.HasIndex(r => new { r.ApplicationId, r.ReviewerUserId }).IsUnique();
            e.HasOne<ChallengeApplication>().WithMany().HasForeignKey(r => r.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ChallengeMilestone>(e =>
        {
            e.ToTable("ChallengeMilestones");
            e.Property(m => m.Title).HasMaxLength(200);
            e.HasIndex(m => m.NeedId);
            e.HasOne<Challenge>().WithMany().HasForeignKey(m => m.NeedId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ReminderRow>(e =>
        {
            e.ToTable("Reminders");
            e.HasKey(r => new { r.ServiceId, r.GrainId, r.Name });
            e.Property(r => r.ServiceId).HasMaxLength(150);
            e.Property(r => r.GrainId).HasMaxLength(300);
            e.Property(r => r.Name).HasMaxLength(150);
            e.HasIndex(r => new { r.ServiceId, r.GrainHash });
        });
    }

    /// <summary>The user whose request is being served; recorded in the audit log. Null for the system.</summary>
    public long? ActorId { get; set; }

    /// <summary>
    /// The audit action of the edits saved next (for example name-approved), where "edit" would not say what the
    /// step was; a status or state change keeps its own action.
    /// </summary>
    public string? AuditAction { get; set; }

    /// <summary>
    /// Bumps concurrency tokens and writes an audit entry for every created, edited, state-changed or deleted
    /// organisation, broker, listing, match and challenge record — in the same transaction as the change itself.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var pending = new List<(object Entity, string Type, string Action, Dictionary<string, object?[]> Changes)>();
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.Entity is not (Listing or Organisation or BrokerProfile or Match or Campaign or MarketEvent or EventRegistration or EventMeeting or CampaignInterest or CampaignAssignment or CampaignListing or BrokerTask or Deal or Challenge or ChallengeReviewer or ChallengeApplication or ChallengeReview or ChallengeMilestone) || entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }

            if (entry.State == EntityState.Modified)
            {
                switch (entry.Entity)
                {
                    case Listing l:
                        l.Version++;
                        break;
                    case Organisation o:
                        o.Version++;
                        break;
                    case Match m:
                        m.Version++;
                        break;
                    case Campaign c:
                        c.Version++;
                        break;
                    case MarketEvent ev:
                        ev.Version++;
                        break;
                    case EventRegistration r:
                        r.Version++;
                        break;
                    case EventMeeting em:
                        em.Version++;
                        break;
                    case CampaignInterest ci:
                        ci.Version++;
                        break;
                    case CampaignAssignment ca:
                        ca.Version++;
                        break;
                    case Deal d:
                        d.Version++;
                        break;
                    case BrokerTask bt:
                        bt.Version++;
                        break;
                    case Challenge c:
                        c.Version++;
                        break;
                    case ChallengeApplication a:
                        a.Version++;
                        break;
                }
            }

            var changes = new Dictionary<string, object?[]>(StringComparer.Ordinal);
            foreach (var p in entry.Properties)
            {
                if (p.Metadata.Name is "Version" or "UpdatedAt")
                {
                    continue;
                }

                if (entry.State == EntityState.Added)
                {
                    changes[p.Metadata.Name] = [null, p.CurrentValue];
                }
                else if (entry.State == EntityState.Modified && p.IsModified && !Equals(p.OriginalValue, p.CurrentValue))
                {
                    changes[p.Metadata.Name] = [p.OriginalValue, p.CurrentValue];
                }
            }

            var action = entry.State switch
            {
                EntityState.Added => "create",
                EntityState.Deleted => "delete",
                _ when changes.TryGetValue("Status", out var st) => $"status:{st[0]}->{st[1]}",
                _ when changes.TryGetValue("State", out var ms) => $"state:{ms[0]}->{ms[1]}",
                _ when AuditAction is { } named => named,
                _ => "edit",
            };
            if (entry.State != EntityState.Modified || changes.Count > 0)
            {
                var type = entry.Entity switch
                {
                    Need => "Need",
                    Achievement => "Achievement",
                    Organisation => "Organisation",
                    Match => "Match",
                    Campaign => "Campaign",
                    MarketEvent => "Event",
                    EventRegistration => "EventRegistration",
                    EventMeeting => "EventMeeting",
                    CampaignInterest => "CampaignInterest",
                    CampaignAssignment => "CampaignAssignment",
                    CampaignListing => "CampaignListing",
                    BrokerTask => "BrokerTask",
                    Deal => "Deal",
                    Challenge => "Challenge",
                    ChallengeReviewer => "ChallengeReviewer",
                    ChallengeApplication => "ChallengeApplication",
                    ChallengeReview => "ChallengeReview",
                    ChallengeMilestone => "ChallengeMilestone",
                    _ => "Broker",
                };
                pending.Add((entry.Entity, type, action, changes));
            }
        }

        if (pending.Count == 0 || Database.CurrentTransaction is not null)
        {
            var n = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            if (pending.Count > 0)
            {
                AddAudit(pending);
                await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }

            return n;
        }

        await using var tx = await Database.BeginTransactionAsync(cancellationToken);
        var count = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        AddAudit(pending);
        await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return count;
    }

    private void AddAudit(List<(object Entity, string Type, string Action, Dictionary<string, object?[]> Changes)> pending)
    {
        var now = DateTime.UtcNow;
        foreach (var (entity, type, action, changes) in pending)
        {
            var id = entity switch
            {
                Listing l => l.Id,
                Organisation o => o.Id,
                BrokerProfile b => b.Id,
                Match m => m.Id,
                Campaign c => c.Id,
                MarketEvent ev => ev.Id,
                EventRegistration r => r.Id,
                EventMeeting em => em.Id,
                CampaignInterest ci => ci.Id,
                CampaignAssignment ca => ca.Id,
                CampaignListing cl => cl.Id,
                BrokerTask bt => bt.Id,
                Deal d => d.Id,
                Challenge c => c.NeedId,
                ChallengeReviewer r => r.NeedId,
                ChallengeApplication a => a.Id,
                ChallengeReview r => r.Id,
                ChallengeMilestone m => m.Id,
                _ => 0,
            };
            AuditLog.Add(new AuditEntry
            {
                At = now,
                UserId = ActorId,
                EntityType = type,
                EntityId = id,
                Action = action,
                Changes = System.Text.Json.JsonSerializer.Serialize(changes, AuditJson),
            });
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions AuditJson = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
